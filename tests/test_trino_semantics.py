"""Lake SQL means what it means on Trino: each case's expected answer comes from Trino's documentation (the
section is cited; https://trino.io/docs/current/ + the path), and is checked through boto3 against the demo
store as a user would see it: the rendered string of GetQueryResults, or the error of StartQuery (refused
at once) or of the query (FAILED with Trino's message)."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from trailtui.lake.query import QueryRun
from trailtui.local.demo import DEMO_STORE_ID as S
from trailtui.local.service import LocalLake

MATH = "functions/math.html#mathematical-operators"
MATHF = "functions/math.html#mathematical-functions"
FLOAT = "functions/math.html#floating-point-functions"
DEC = "language/types.html#decimal"
DECOPS = "functions/decimal.html"
CMP = "functions/comparison.html"
COND = "functions/conditional.html"
CONV = "functions/conversion.html"
ARR = "functions/array.html#subscript-operator"
MAP = "functions/map.html#subscript-operator"
TYPES = "language/types.html"
TS = "language/types.html#timestamp-p"
TSTZ = "language/types.html#timestamp-p-with-time-zone"
DT = "functions/datetime.html#time-zone-conversion"
SEL = "sql/select.html"
LOGIC = "functions/logical.html"

# (doc section, expression, expected rendering). The expression is evaluated as SELECT <expr> FROM store.
VALUES: list[tuple[str, str, str | None]] = [
    # Integer arithmetic: division truncates toward zero, modulo takes the dividend's sign.
    (MATH, "7 / 2", "3"),
    (MATH, "-7 / 2", "-3"),
    (MATH, "7 / -2", "-3"),
    (MATH, "9 / 3", "3"),
    (MATH, "5 % 3", "2"),
    (MATH, "-5 % 3", "-2"),
    (MATH, "5 % -3", "2"),
    (MATH, "2147483647 - 1", "2147483646"),
    (MATH, "3 * 4 + 1", "13"),
    (MATH, "-(7)", "-7"),
    (MATH, "10 / 4 * 4", "8"),
    # Decimal literals and arithmetic: precision and scale as Trino computes them, HALF_UP rounding.
    (DEC, "1 / 3.0", "0.3"),
    (DEC, "2 / 3.0", "0.7"),
    (DEC, "DECIMAL '137.7' + DECIMAL '17.1'", "154.8"),
    (DEC, "DECIMAL '1.25' * DECIMAL '2.0'", "2.500"),
    (DEC, "1.5 + 1", "2.5"),
    (DEC, "0.1 + 0.2", "0.3"),
    (DEC, "10.00 - 0.5", "9.50"),
    (DEC, "5 / 2.0", "2.5"),
    (DEC, "2.9 / 2", "1.5"),
    (DEC, "-2.9 / 2", "-1.5"),
    (DEC, "1.00 / 3", "0.33"),
    (DEC, "5.5 % 2", "1.5"),
    (DEC, "CAST(123.456 AS decimal(4,1))", "123.5"),
    (DEC, "CAST(-123.45 AS decimal(4,1))", "-123.5"),
    (DEC, "DECIMAL '12345678901234567890' * 2", "24691357802469135780"),
    (DEC, "DECIMAL '12345678901234567' * DECIMAL '123456789012345670'", "1524157875323883455265967556774890"),
    (DEC, "DECIMAL '100.00' / DECIMAL '-0.30'", "-333.33"),
    (DEC, "DECIMAL '200.00000' / DECIMAL '0.3'", "666.66667"),
    (DEC, "DECIMAL '-9' / DECIMAL '5'", "-2"),
    (DEC, "DECIMAL '10.0' % DECIMAL '3.000'", "1.000"),
    (DEC, "DECIMAL '37' = DECIMAL '37.0000000000000000000000000'", "true"),
    # Doubles: IEEE 754, printed as Java prints them.
    (MATH, "1e0 / 0", "Infinity"),
    (MATH, "-1e0 / 0", "-Infinity"),
    (MATH, "0e0 / 0", "NaN"),
    (MATH, "1.5e0 * 2", "3.0"),
    (MATH, "1e7", "1.0E7"),
    (MATH, "1e-4", "1.0E-4"),
    (MATH, "7e0 / 2", "3.5"),
    # Floating point functions: NaN is not equal, not less, not greater than anything.
    (FLOAT, "nan()", "NaN"),
    (FLOAT, "nan() = nan()", "false"),
    (FLOAT, "nan() <> nan()", "true"),
    (FLOAT, "nan() < 1e0", "false"),
    (FLOAT, "nan() > 1e0", "false"),
    (FLOAT, "DOUBLE 'NaN' = DOUBLE 'NaN'", "false"),
    (FLOAT, "nan() BETWEEN 0 AND 2", "false"),
    (FLOAT, "is_nan(nan())", "true"),
    (FLOAT, "is_finite(1e0)", "true"),
    (FLOAT, "is_infinite(infinity())", "true"),
    (FLOAT, "infinity()", "Infinity"),
    # Mathematical functions.
    (MATHF, "abs(-5)", "5"),
    (MATHF, "abs(-1.5)", "1.5"),
    (MATHF, "ceil(1.2)", "2"),
    (MATHF, "floor(-1.5)", "-2"),
    (MATHF, "floor(1.5e0)", "1.0"),
    (MATHF, "round(2.5)", "3"),
    (MATHF, "round(-2.5)", "-3"),
    (MATHF, "round(1.5e0)", "2.0"),
    (MATHF, "sqrt(4)", "2.0"),
    (MATHF, "cbrt(27)", "3.0"),
    (MATHF, "power(2, 10)", "1024.0"),
    (MATHF, "ln(1)", "0.0"),
    (MATHF, "log2(8)", "3.0"),
    (MATHF, "log10(100)", "2.0"),
    (MATHF, "mod(5, 3)", "2"),
    (MATHF, "sign(-3)", "-1"),
    (MATHF, "sign(-1.5e0)", "-1.0"),
    (MATHF, "round(DECIMAL '1.25', 1)", "1.30"),
    (MATHF, "typeof(round(DECIMAL '3.5'))", "decimal(2,0)"),
    (MATHF, "to_base(255, 16)", "ff"),
    (MATHF, "truncate(-1.9e0)", "-1.0"),
    # Types as typeof() names them.
    (TYPES, "typeof(1)", "integer"),
    (TYPES, "typeof(2147483648)", "bigint"),
    (TYPES, "typeof(3.0)", "decimal(2,1)"),
    (TYPES, "typeof(0.1)", "decimal(1,1)"),
    (TYPES, "typeof(1e0)", "double"),
    (TYPES, "typeof(1 / 3.0)", "decimal(12,1)"),
    (TYPES, "typeof('abc')", "varchar(3)"),
    (TYPES, "typeof(eventTime)", "timestamp(3)"),
    (TYPES, "typeof(eventName)", "varchar"),
    (TYPES, "typeof(readOnly)", "boolean"),
    (TYPES, "typeof(requestParameters)", "map(varchar, varchar)"),
    (TYPES, "typeof(current_timestamp)", "timestamp(3) with time zone"),
    (TYPES, "typeof(CAST(1 AS real))", "real"),
    (TYPES, "typeof(count(*))", "bigint"),
    (TYPES, "typeof(ARRAY[1, 2])", "array(integer)"),
    # Conversion.
    (CONV, "CAST(0.1 AS real)", "0.1"),
    (CONV, "CAST(2.5e0 AS integer)", "3"),
    (CONV, "CAST(-2.5e0 AS bigint)", "-3"),
    (CONV, "CAST(17.5e0 AS bigint)", "18"),
    (CONV, "CAST(1.50 AS varchar)", "1.50"),
    (CONV, "CAST(TIMESTAMP '2022-04-06 16:01:09.000' AS varchar)", "2022-04-06 16:01:09.000"),
    (CONV, "CAST('abcdef' AS varchar(3))", "abc"),
    (CONV, "try_cast('x' AS integer)", None),
    (CONV, "try_cast('1.5' AS integer)", None),
    (CONV, "CAST(' 12 ' AS integer)", "12"),
    (CONV, "CAST('TRUE' AS boolean)", "true"),
    (CONV, "CAST(REAL '754.1985' AS double)", "754.198486328125"),
    (CONV, "CAST('2020-01-01' AS date)", "2020-01-01"),
    # A double cast to varchar is in Java's scientific notation (also in Trino's TestDoubleOperators).
    (CONV, "CAST(37.7e0 AS varchar)", "3.77E1"),
    (CONV, "CAST(12e2 AS varchar)", "1.2E3"),
    (CONV, "CAST(0e0 AS varchar)", "0E0"),
    (CONV, "CAST(0e0 / 0e0 AS varchar)", "NaN"),
    (CONV, "CAST(12345678.9e0 AS varchar)", "1.23456789E7"),
    # Timestamps: the literal's precision, printed with that many digits; zones kept.
    (TS, "TIMESTAMP '2020-01-01 10:00:00'", "2020-01-01 10:00:00"),
    (TS, "TIMESTAMP '2020-01-01 10:00:00.123'", "2020-01-01 10:00:00.123"),
    (TS, "TIMESTAMP '2020-01-01 10:00:00.123456'", "2020-01-01 10:00:00.123456"),
    (TYPES + "#time-p", "TIME '10:00:00'", "10:00:00"),
    ("functions/datetime.html#date-and-time-operators", "DATE '2012-08-08' + INTERVAL '2' DAY", "2012-08-10"),
    # timestamp(0) plus an interval stays timestamp(0), printed without fraction.
    (TS, "TIMESTAMP '2012-10-31 01:00' + INTERVAL '1' HOUR", "2012-10-31 02:00:00"),
    (
        TSTZ,
        "TIMESTAMP '2001-08-22 03:04:05.321 America/Los_Angeles'",
        "2001-08-22 03:04:05.321 America/Los_Angeles",
    ),
    (
        DT,
        "TIMESTAMP '2024-01-07 10:00:00.000' AT TIME ZONE 'America/New_York'",
        "2024-01-07 05:00:00.000 America/New_York",
    ),
    (
        DT,
        "TIMESTAMP '2024-07-07 10:00:00.000' AT TIME ZONE 'Europe/Paris'",
        "2024-07-07 12:00:00.000 Europe/Paris",
    ),
    # Conditional expressions and NULL.
    (COND, "if(true, 1, 2)", "1"),
    (COND, "if(false, 1)", None),
    (COND, "if(true, 1, 2.5)", "1.0"),
    (COND, "typeof(coalesce(NULL, 1, 2.55))", "decimal(12,2)"),
    (COND, "coalesce(NULL, 2)", "2"),
    (COND, "nullif(1, 1)", None),
    (COND, "CASE 1 WHEN 1 THEN 'x' END", "x"),
    (COND, "try(1 / 0)", None),
    (LOGIC, "true AND NULL", None),
    (LOGIC, "false AND NULL", "false"),
    (LOGIC, "true OR NULL", "true"),
    (CMP, "NULL = NULL", None),
    (CMP, "1 IN (1, 2)", "true"),
    (CMP, "greatest(1, 2, 3)", "3"),
    (CMP, "1 BETWEEN 0 AND 2", "true"),
    # Subscripts: element_at gives NULL where the subscript operator fails.
    (ARR, "ARRAY[1, 2][2]", "2"),
    (ARR, "element_at(ARRAY[1, 2], 3)", None),
    (MAP, "MAP(ARRAY['a'], ARRAY[1])['a']", "1"),
    (MAP, "element_at(MAP(ARRAY['a'], ARRAY[1]), 'b')", None),
]

# (doc section, query, error code, message): refused by StartQuery.
REFUSED: list[tuple[str, str, str, str]] = [
    (
        CMP,
        f"SELECT '1' = 1 FROM {S}",
        "InvalidQueryStatementException",
        "line 1:12: Cannot apply operator: varchar(1) = integer",
    ),
    (
        CMP,
        f"SELECT eventName FROM {S} WHERE eventName = 1",
        "InvalidQueryStatementException",
        "Cannot apply operator: varchar = integer",
    ),
    (
        CMP,
        f"SELECT 1 FROM {S} WHERE readOnly = 'true'",
        "InvalidQueryStatementException",
        "Cannot apply operator: boolean = varchar(4)",
    ),
    (
        SEL,
        f"SELECT eventName, FROM {S}",
        "InvalidQueryStatementException",
        "line 1:19: mismatched input 'FROM'",
    ),
    (
        SEL,
        f"SELEC eventName FROM {S}",
        "InvalidQueryStatementException",
        "line 1:1: mismatched input 'SELEC'",
    ),
    (
        SEL,
        f"\n  frm {S}",
        "InvalidQueryStatementException",
        "line 2:3: mismatched input 'frm'",
    ),
    (
        SEL,
        f"SELECT eventName FROM {S} LIMIT 1 OFFSET 1",
        "InvalidQueryStatementException",
        "mismatched input 'OFFSET'",
    ),
    (
        SEL,
        f"SELECT nosuchcolumn FROM {S}",
        "InvalidQueryStatementException",
        "line 1:8: Column 'nosuchcolumn' cannot be resolved",
    ),
    (
        SEL,
        f"SELECT eventName\nFROM {S}\nWHERE  nosuch = 1",
        "InvalidQueryStatementException",
        "line 3:8: Column 'nosuch' cannot be resolved",
    ),
    (
        SEL,
        f"SELECT eventName FROM {S} WHERE eventName == 'x'",
        "InvalidQueryStatementException",
        "mismatched input '=='",
    ),
    (
        SEL,
        f"SELECT 1 FROM arn:aws:cloudtrail:eu-west-3:999999999999:eventdatastore/{S}",
        "EventDataStoreNotFoundException",
        "was not found",
    ),
    (
        DECOPS,
        f"SELECT DECIMAL '.1234567890123456789' * DECIMAL '.12345678901234567890' FROM {S}",
        "InvalidQueryStatementException",
        "DECIMAL scale must be in range [0, precision (38)]: 39",
    ),
    (
        SEL,
        f"SELECT eventName FROM {S} a, {S} b",
        "InvalidQueryStatementException",
        "line 1:8: Column 'eventname' is ambiguous",
    ),
    (
        CMP,
        f"SELECT 1 FROM {S} WHERE eventTime > 1",
        "InvalidQueryStatementException",
        "Cannot apply operator: timestamp(3) > integer",
    ),
    (
        CMP,
        f"SELECT 1 FROM {S} WHERE readOnly = 1",
        "InvalidQueryStatementException",
        "Cannot apply operator: boolean = integer",
    ),
    (
        SEL,
        f"SELECT eventName,\n  nosuchfunc(1) FROM {S}",
        "InvalidQueryStatementException",
        "line 2:3: Function 'nosuchfunc' not registered",
    ),
    # A select-list alias is visible in ORDER BY only (sql/select: GROUP BY takes expressions or ordinals).
    (
        SEL,
        f"SELECT eventName AS n, count(*) FROM {S} GROUP BY n",
        "InvalidQueryStatementException",
        "line 1:84: Column 'n' cannot be resolved",
    ),
    (
        SEL,
        f"SELECT eventName AS n FROM {S} WHERE n = 'x'",
        "InvalidQueryStatementException",
        "Column 'n' cannot be resolved",
    ),
]

# (doc section, expression, message of the FAILED query).
FAILED: list[tuple[str, str, str]] = [
    (MATH, "count(*) / 0", "Division by zero"),
    (MATH, "5 % 0", "Division by zero"),
    (DEC, "1.5 / 0", "Division by zero"),
    (DEC, "DECIMAL '99999999999999999999999999999999999999' + DECIMAL '1'", "Decimal overflow"),
    (MATH, "2147483647 + 1", "integer addition overflow: 2147483647 + 1"),
    (MATH, "9223372036854775807 * 2", "bigint multiplication overflow"),
    (ARR, "ARRAY[1, 2][3]", "Array subscript must be less than or equal to array length: 3 > 2"),
    (ARR, "ARRAY[1, 2][0]", "SQL array indices start at 1"),
    (MAP, "MAP(ARRAY['a'], ARRAY[1])['b']", "Key not present in map: b"),
    (CONV, "CAST('abc' AS integer)", "Cannot cast 'abc' to INT"),
    (CONV, "CAST(3e10 AS integer)", "Out of range for integer: 3.0E10"),
    (CONV, "CAST('1.5' AS integer)", "Cannot cast '1.5' to INT"),
    (CONV, "CAST('yes' AS boolean)", "Cannot cast 'yes' to BOOLEAN"),
    (MATH, "TINYINT '127' + TINYINT '1'", "tinyint addition overflow: 127 + 1"),
]


@pytest.fixture(scope="module")
def ct(demo_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    root = tmp_path_factory.mktemp("semantics") / "home"
    shutil.copytree(demo_home, root, ignore=shutil.ignore_patterns("*.lock"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TRAILTUI_HOME", str(root))
        lake = LocalLake()
        try:
            yield lake.client()
        finally:
            lake.close()


def _value(ct: Any, sql: str) -> tuple[str, Any]:
    q = QueryRun(ct, sql)
    q.start()
    state = q.wait(sleep=lambda s: time.sleep(min(s, 0.02)))
    if state.status != "FINISHED":
        return state.status, state.error
    rows = ct.get_query_results(QueryId=q.query_id)["QueryResultRows"]
    return "FINISHED", next(iter(rows[0][0].values()))


@pytest.mark.parametrize("section, expr, expected", VALUES, ids=[v[1] for v in VALUES])
def test_values_as_trino_documents_them(ct: Any, section: str, expr: str, expected: str | None) -> None:
    status, value = _value(ct, f"SELECT {expr} FROM {S} LIMIT 1")
    assert (status, value) == ("FINISHED", expected), section


@pytest.mark.parametrize("section, sql, code, message", REFUSED, ids=[r[1][:60] for r in REFUSED])
def test_what_trino_refuses_is_refused(ct: Any, section: str, sql: str, code: str, message: str) -> None:
    with pytest.raises(ClientError) as exc:
        ct.start_query(QueryStatement=sql)
    err = exc.value.response["Error"]
    assert err["Code"] == code, section
    assert message in err["Message"], (section, err["Message"])


@pytest.mark.parametrize("section, expr, message", FAILED, ids=[f[1] for f in FAILED])
def test_runtime_failures_say_what_trino_says(ct: Any, section: str, expr: str, message: str) -> None:
    status, error = _value(ct, f"SELECT {expr} FROM {S} LIMIT 1")
    assert status == "FAILED", (section, error)
    assert message in error, (section, error)


def test_the_suite_is_large_enough() -> None:
    assert len(VALUES) + len(REFUSED) + len(FAILED) >= 80


def test_percentages_use_integer_division(ct: Any) -> None:
    """The investigator's `count_if(...) * 100 / count(*)` is an integer percentage on Trino."""
    status, value = _value(
        ct,
        f"SELECT count_if(readOnly) * 100 / count(*) AS pct, typeof(count_if(readOnly) * 100 / count(*)) FROM {S}",
    )
    assert status == "FINISHED" and value is not None and "." not in value and 0 <= int(value) <= 100
