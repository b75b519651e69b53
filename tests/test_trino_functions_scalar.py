"""Trino's scalar functions (strings, URLs, IP addresses, JSON, arrays, maps), aggregates and the errors
Trino raises, on the local lake (case format: tests/trinofunctions.py)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.trinofunctions import Case, check, lake_client, run
from trailtui.lake.query import QueryRun
from trailtui.local.demo import DEMO_STORE_ID

STRINGS: list[Case] = [
    ("split_part('a/b', '/', 3)", None, "D: string.html#split_part"),
    (
        "split_part('abc-@-def-@-ghi', '-@-', 2)",
        "def",
        "T: operator/scalar/TestStringFunctions.testSplitPart",
    ),
    ("split_part('a.b.c', '.', 4)", None, "T: TestStringFunctions.testSplitPart"),
    ("regexp_extract('1a 2b 14m', '\\d+')", "1", "D: regexp.html#regexp_extract"),
    ("regexp_extract('abc', 'x')", None, "D: regexp.html#regexp_extract (no match: NULL)"),
    ("regexp_extract('1a 2b 14m', '(\\d+)([a-z]+)', 2)", "a", "D: regexp.html#regexp_extract"),
    ("regexp_replace('1a 2b 14m', '(\\d+)([ab]) ', '3c$2 ')", "3ca 3cb 14m", "D: regexp.html#regexp_replace"),
    ("regexp_replace('1a 2b 14m', '\\d+[ab] ')", "14m", "D: regexp.html#regexp_replace"),
    ("regexp_replace('abc', 'b', '\\$')", "a$c", "D: regexp.html#regexp_replace (escaped dollar)"),
    # Java's replaceAll replaces the empty match right after a match too (RE2's skipped it: `X`).
    ("regexp_replace('aaa', 'a*', 'X')", "XX", "T: java.util.regex.Matcher.replaceAll (empty matches)"),
    ("regexp_replace('abc', 'x*', '-')", "-a-b-c-", "T: java.util.regex.Matcher.replaceAll (empty matches)"),
    (
        "regexp_replace('ab', '(a)?', '[$1]')",
        "[a][]b[]",
        "T: java.util.regex.Matcher.replaceAll (empty matches)",
    ),
    ("substr('Quadratically', 5)", "ratically", "T: TestStringFunctions.testSubstring"),
    ("substr('Quadratically', 0)", "", "T: TestStringFunctions.testSubstring"),
    ("substr('Quadratically', -5)", "cally", "T: TestStringFunctions.testSubstring"),
    ("substr('Quadratically', -50)", "", "T: TestStringFunctions.testSubstring"),
    ("substr('Quadratically', 5, 6)", "ratica", "T: TestStringFunctions.testSubstring"),
    ("substr('Quadratically', 0, 6)", "", "T: TestStringFunctions.testSubstring"),
    ("substr('Quadratically', -5, 4)", "call", "T: TestStringFunctions.testSubstring"),
    ("substr('Quadratically', 50, 4)", "", "T: TestStringFunctions.testSubstring"),
    ("strpos('abcabc', 'b', 2)", "5", "D: string.html#strpos"),
    ("strpos('abcabc', 'b', -1)", "5", "D: string.html#strpos"),
    ("strpos('abcabc', 'b', 3)", "0", "D: string.html#strpos"),
    ("split('a.b.c', '.', 2)", "[a, b.c]", "D: string.html#split"),
    ("codepoint('A')", "65", "D: string.html#codepoint"),
    ("hamming_distance('abcde', 'abdce')", "2", "T: TestStringFunctions.testHammingDistance"),
    ("luhn_check('79927398713')", "true", "D: string.html#luhn_check"),
    ("replace('abc', '', 'xx')", "xxaxxbxxcxx", "T: TestStringFunctions.testReplace"),
    ("replace('', '', 'xx')", "xx", "T: TestStringFunctions.testReplace"),
    ("replace('abcdefabcdef', 'cd')", "abefabef", "T: TestStringFunctions.testReplace"),
]

URLS: list[Case] = [
    (
        "url_extract_protocol('http://example.com:8080/path1/p.php?k1=v1&k2=v2#Ref1')",
        "http",
        "T: TestUrlFunctions",
    ),
    (
        "url_extract_host('http://example.com:8080/path1/p.php?k1=v1&k2=v2#Ref1')",
        "example.com",
        "T: TestUrlFunctions",
    ),
    (
        "url_extract_port('http://example.com:8080/path1/p.php?k1=v1&k2=v2#Ref1')",
        "8080",
        "T: TestUrlFunctions",
    ),
    (
        "url_extract_path('http://example.com:8080/path1/p.php?k1=v1&k2=v2#Ref1')",
        "/path1/p.php",
        "T: TestUrlFunctions",
    ),
    (
        "url_extract_query('http://example.com:8080/path1/p.php?k1=v1&k2=v2#Ref1')",
        "k1=v1&k2=v2",
        "T: TestUrlFunctions",
    ),
    (
        "url_extract_fragment('http://example.com:8080/path1/p.php?k1=v1&k2=v2#Ref1')",
        "Ref1",
        "T: TestUrlFunctions",
    ),
    ("url_extract_port('http://example.com/path1/p.php')", None, "T: TestUrlFunctions.testUrlExtract"),
    ("url_extract_query('http://example.com/path1/p.php')", "", "T: TestUrlFunctions.testUrlExtract"),
    ("url_extract_host('https://username:password@example.com')", "example.com", "T: TestUrlFunctions"),
    ("url_extract_protocol('mailto:test@example.com')", "mailto", "T: TestUrlFunctions.testUrlExtract"),
    ("url_extract_host('mailto:test@example.com')", "", "T: TestUrlFunctions.testUrlExtract"),
    ("url_extract_path('foo')", "foo", "T: TestUrlFunctions.testUrlExtract"),
    ("url_extract_protocol('foo')", "", "T: TestUrlFunctions.testUrlExtract"),
    ("url_extract_host('http://example.com/^')", None, "T: TestUrlFunctions.testUrlExtract (invalid URI)"),
    ("url_extract_path('http://example.com/^')", None, "T: TestUrlFunctions.testUrlExtract (invalid URI)"),
    (
        "url_extract_parameter('http://example.com/path1/p.php?k1=v1&k2=v2&k3&k4#Ref1', 'k2')",
        "v2",
        "T: TestUrlFunctions",
    ),
    (
        "url_extract_parameter('http://example.com/path1/p.php?k1=v1&k2=v2&k3&k4#Ref1', 'k3')",
        "",
        "T: TestUrlFunctions",
    ),
    (
        "url_extract_parameter('http://example.com/path1/p.php?k1=v1&k2=v2&k3&k4#Ref1', 'k5')",
        None,
        "T: TestUrlFunctions",
    ),
    (
        "url_extract_parameter('http://example.com/path1/p.php?k=a=b=c&x=y#Ref1', 'k')",
        "a=b=c",
        "T: TestUrlFunctions",
    ),
    (
        "url_extract_parameter('http://example.com/path1/p.php?k1=a%26k2%3Db&k2=c#Ref1', 'k2')",
        "c",
        "T: TestUrlFunctions",
    ),
    (
        "url_encode('http://test?a=b&c=d')",
        "http%3A%2F%2Ftest%3Fa%3Db%26c%3Dd",
        "T: TestUrlFunctions.testUrlEncode",
    ),
    ("url_encode('~@:.-*_+ \u2603')", "%7E%40%3A.-*_%2B+%E2%98%83", "T: TestUrlFunctions.testUrlEncode"),
    ("url_decode('%7E%40%3A.-*_%2B+%E2%98%83')", "~@:.-*_+ \u2603", "T: TestUrlFunctions.testUrlDecode"),
    (
        "url_extract_parameter('http://x.com/p?q=a+b%2Fc', 'q')",
        "a b/c",
        "D: url.html#url_extract_parameter (decoded)",
    ),
    (
        "url_extract_path('http://x.com/a%20b')",
        "/a b",
        "D: url.html#url_extract_path (java.net.URI getPath decodes)",
    ),
]

IPS: list[Case] = [
    ("CAST('::ffff:1.2.3.4' AS IPADDRESS)", "1.2.3.4", "T: type/TestIpAddressOperators"),
    (
        "CAST('2001:0db8:0000:0000:0000:ff00:0042:8329' AS IPADDRESS)",
        "2001:db8::ff00:42:8329",
        "T: TestIpAddressOperators",
    ),
    ("CAST('2001:db8:0:0:1::1' AS IPADDRESS)", "2001:db8::1:0:0:1", "T: TestIpAddressOperators"),
    (
        "CAST('2001:DB8::FF00:ABCD:12EF' AS IPADDRESS)",
        "2001:db8::ff00:abcd:12ef",
        "T: TestIpAddressOperators",
    ),
    ("IPADDRESS '64:ff9b::10.0.0.0'", "64:ff9b::a00:0", "T: TestIpAddressOperators"),
    (
        "CAST(IPADDRESS '::ffff:102:304' AS VARCHAR)",
        "1.2.3.4",
        "T: TestIpAddressOperators.testIpAddressToVarcharCast",
    ),
    (
        "CAST(x'c0a80000' AS IPADDRESS)",
        "192.168.0.0",
        "T: TestIpAddressOperators.testVarbinaryToIpAddressCast",
    ),
    (
        "IPADDRESS '192.168.0.0' = IPADDRESS '::ffff:192.168.0.0'",
        "true",
        "T: TestIpAddressOperators.testEquals",
    ),
    (
        "IPADDRESS '2001:0db8:0000:0000:0000:ff00:0042:8329' > IPADDRESS '1.2.3.4'",
        "true",
        "T: TestIpAddressOperators",
    ),
    ("CAST('1.2.3.4' AS IPADDRESS) < CAST('1.2.3.5' AS IPADDRESS)", "true", "T: TestIpAddressOperators"),
    (
        "IPADDRESS '::2222' BETWEEN IPADDRESS '::' AND IPADDRESS '::1234'",
        "false",
        "T: TestIpAddressOperators",
    ),
    ("contains('10.0.0.0/8', IPADDRESS '10.255.255.255')", "true", "D: ipaddress.html#contains"),
    ("contains('10.0.0.0/8', IPADDRESS '11.255.255.255')", "false", "D: ipaddress.html#contains"),
    (
        "contains('2001:0db8:0:0:0:ff00:0042:8329/128', IPADDRESS '2001:0db8:0:0:0:ff00:0042:8321')",
        "false",
        "D: ipaddress.html#contains",
    ),
    (
        "contains('10.0.0.0/8', TRY_CAST('ec2.amazonaws.com' AS IPADDRESS))",
        None,
        "CloudTrail: sourceIPAddress may be a service name",
    ),
]

JSON: list[Case] = [
    ("json_extract('{\"a\": {\"b\": [1, 2.50]}}', '$.a.b')", "[1,2.5]", "D: json.html#json_extract"),
    ("json_extract('[10, 20]', '$.1')", "20", "T: operator/scalar/TestJsonExtract (index as key)"),
    ("json_extract('[10, 20]', '$[1]')", "20", "T: TestJsonExtract"),
    ("json_extract('{\"a\": 1}', '$.b')", None, "T: TestJsonExtract"),
    ("json_extract('{\"fuu\": null}', '$.fuu')", "null", "T: TestJsonExtract.testFullJsonExtract"),
    ("json_extract_scalar('{\"fuu\": 1}', '$[fuu]')", "1", "T: TestJsonExtract.testFullScalarExtract"),
    ("json_extract_scalar('{\"0\" : 0, \"1\" : 1, }', '$.1')", "1", "T: TestJsonExtract (trailing comma)"),
    ("json_extract_scalar('{\"30day\" : 1}', '$.30day')", "1", "T: TestJsonExtract.testFullScalarExtract"),
    (
        'json_extract(\'{":b:ar:": "abc"}\', \'$[":b:ar:"]\')',
        '"abc"',
        "T: TestJsonExtract.testFullJsonExtract",
    ),
    (
        "json_extract_scalar('{\"a\": {\"b\": 1}}', '$.a')",
        None,
        "D: json.html#json_extract_scalar (not a scalar)",
    ),
    ("json_extract_scalar('{\"a\": \"x\"}', '$.a')", "x", "D: json.html#json_extract_scalar"),
    ("json_extract_scalar('[1, [2, 3]]', '$[1][0]')", "2", "T: TestJsonExtract"),
    ('json_size(\'{"x": {"a": 1, "b": 2}}\', \'$.x\')', "2", "T: TestJsonFunctions.testJsonSize"),
    ('json_size(\'{"x": {"a": 1, "b": 2}}\', \'$.x.a\')', "0", "T: TestJsonFunctions.testJsonSize"),
    ("json_size('INVALID_JSON', '$')", None, "T: TestJsonFunctions.testJsonSize"),
    (
        "json_array_length('[2, 4, {\"a\": [8, 9]}, [], [5], 4]')",
        "6",
        "T: TestJsonFunctions.testJsonArrayLength",
    ),
    ("json_array_contains('[1.5]', 1.5)", "true", "T: TestJsonFunctions.testJsonArrayContainsDouble"),
    ("json_array_contains('[1]', 1.0)", "false", "T: TestJsonFunctions.testJsonArrayContainsDouble"),
    ("json_array_contains('[1.0]', 1)", "false", "T: TestJsonFunctions.testJsonArrayContainsLong"),
    (
        "json_array_contains('[1, \"foo\", null]', 'foo')",
        "true",
        "T: TestJsonFunctions.testJsonArrayContainsString",
    ),
    ("json_array_contains('[1, 5]', '5')", "false", "T: TestJsonFunctions.testJsonArrayContainsString"),
    (
        "json_array_contains('[false, true]', true)",
        "true",
        "T: TestJsonFunctions.testJsonArrayContainsBoolean",
    ),
    ("json_array_contains('[1,,0]', 8)", None, "T: TestJsonFunctions.testJsonArrayContainsInvalid"),
    ("json_array_get('[\"jhfa\"]', 0)", "jhfa", "T: TestJsonFunctions.testJsonArrayGetString"),
    ("json_array_get('[2, 7, 4, 6, 8, 1, 0]', -2)", "1", "T: TestJsonFunctions.testJsonArrayGetLong"),
    ("json_array_get('[2, 7, 4, 6, 8, 1, 0]', -8)", None, "T: TestJsonFunctions.testJsonArrayGetLong"),
    (
        "json_array_get('[{\"hello\": null}]', 0)",
        '{"hello":null}',
        "T: TestJsonFunctions.testJsonArrayGetNonScalar",
    ),
    ("is_json_scalar('[1, 2, 3]')", "false", "T: TestJsonFunctions.testIsJsonScalar"),
    ("is_json_scalar('\"str\"')", "true", "T: TestJsonFunctions.testIsJsonScalar"),
    ('json_format(JSON \'["a", "b"]\')', '["a","b"]', "T: TestJsonFunctions.testJsonFormat"),
    ("json_value('{\"a\": \"x\"}', 'lax $.a')", "x", "D: json.html#json-value"),
    ("json_value('{\"a\": \"x\"}', 'strict $.a')", "x", "D: json.html#json-value"),
    ("json_value('{\"a\": \"x\"}', 'strict $.b')", None, "D: json.html#json-value (error: NULL ON ERROR)"),
    ("json_value('{\"a\": [1, 2]}', 'lax $.a[1]')", "2", "D: json.html#json-path-language"),
    ("json_value('{\"a\": [{\"b\": 7}]}', 'lax $.a.b')", "7", "D: json.html (lax unwraps arrays)"),
    ("json_value('{\"a\": {\"b\": 7}}', 'lax $.a')", None, "D: json.html#json-value (not a scalar)"),
    ("json_value('[5, 6, 7]', 'lax $[last]')", "7", "D: json.html#json-path-language (last)"),
    ("json_value('[5, 6, 7]', 'lax $.size()')", "3", "D: json.html#json-path-language (size())"),
    ("json_query('{\"a\": [1, 2]}', 'lax $.a')", "[1,2]", "D: json.html#json-query"),
    ("json_query('{\"a\": [1, 2]}', 'lax $.a[*]' WITH ARRAY WRAPPER)", "[1,2]", "D: json.html#json-query"),
    (
        "json_query('{\"a\": [1, 2]}', 'lax $.a[*]')",
        None,
        "D: json.html#json-query (two items without wrapper)",
    ),
    ("json_query('{\"a\": \"x\"}', 'lax $.a' OMIT QUOTES)", "x", "D: json.html#json-query (OMIT QUOTES)"),
    ("json_exists('{\"a\": [1, 2]}', 'lax $.a[5]')", "false", "D: json.html#json-exists"),
    ("json_exists('{\"a\": [1, 2]}', 'strict $.a[1]')", "true", "D: json.html#json-exists"),
    ("json_exists('{\"a\": [1, 2]}', 'strict $.b')", "false", "D: json.html#json-exists (error: FALSE)"),
    ("json_extract_scalar('{\"0\" : 0, \"1\" : 1, }', '$.1')", "1", "T: TestJsonExtract (trailing comma)"),
    ("json_extract_scalar('{\"30day\" : 1}', '$.30day')", "1", "T: TestJsonExtract.testFullScalarExtract"),
    ("CAST('abc' AS JSON)", '"abc"', "D: json.html#cast-to-json (a varchar is a JSON string)"),
    ("CAST(JSON '\"abc\"' AS VARCHAR)", "abc", "D: json.html#cast-from-json"),
    ("CAST(json_parse('[1, 2]') AS ARRAY(INTEGER))", "[1, 2]", "D: json.html#cast-from-json"),
]

ARRAYS: list[Case] = [
    (
        "array_distinct(ARRAY[3, 1, 3, 2])",
        "[3, 1, 2]",
        "T: operator/scalar/TestArrayFunctions (first occurrence order)",
    ),
    ("contains(ARRAY[NULL, 2, 3], 1)", None, "T: TestArrayFunctions.testContains"),
    ("contains(ARRAY[1, 2, 3], 2)", "true", "T: TestArrayFunctions.testContains"),
    ("array_union(ARRAY[1, 3, 1], ARRAY[2, 1])", "[1, 3, 2]", "D: array.html#array_union"),
    ("arrays_overlap(ARRAY[1, 2], ARRAY[2, 3])", "true", "D: array.html#arrays_overlap"),
    ("arrays_overlap(ARRAY[1, NULL], ARRAY[2])", None, "D: array.html#arrays_overlap"),
    ("contains_sequence(ARRAY[1, 2, 3, 4], ARRAY[2, 3])", "true", "D: array.html#contains_sequence"),
    ("contains_sequence(ARRAY[1, 2, 3, 4], ARRAY[3, 2])", "false", "D: array.html#contains_sequence"),
    ("sequence(1, 5)", "[1, 2, 3, 4, 5]", "D: array.html#sequence"),
    ("sequence(5, 1, -2)", "[5, 3, 1]", "D: array.html#sequence"),
    ("array_position(ARRAY[1, 2], 5)", "0", "D: array.html#array_position"),
    ("array_max(ARRAY[1, NULL, 3])", None, "T: TestArrayFunctions.testArrayMax"),
    ("array_min(ARRAY[4, 2, 3])", "2", "T: TestArrayFunctions.testArrayMin"),
    ("array_remove(ARRAY[1, NULL, 2, 1], 1)", "[null, 2]", "T: TestArrayFunctions.testArrayRemove"),
    ("slice(ARRAY[1, 2, 3, 4], 2, 2)", "[2, 3]", "D: array.html#slice"),
    ("slice(ARRAY[1, 2, 3, 4], -2, 2)", "[3, 4]", "D: array.html#slice"),
    ("any_match(ARRAY[1, NULL], x -> x > 1)", None, "D: array.html#any_match"),
    ("any_match(ARRAY[1, 2], x -> x > 1)", "true", "D: array.html#any_match"),
    ("all_match(ARRAY[], x -> x > 1)", "true", "D: array.html#all_match"),
    ("none_match(ARRAY[1, 2], x -> x > 5)", "true", "D: array.html#none_match"),
    ("reduce(ARRAY[1, 2, 3], 0, (s, x) -> s + x, s -> s * 2)", "12", "D: array.html#reduce"),
    ("width_bucket(3.14, 0, 4, 3)", "3", "D: math.html#width_bucket"),
    ("width_bucket(-1, 0, 4, 3)", "0", "D: math.html#width_bucket"),
    ("width_bucket(5, ARRAY[1, 2, 3])", "3", "D: math.html#width_bucket"),
    ("array_except(ARRAY[1, 5, 3], ARRAY[3])", "[1, 5]", "D: array.html#array_except"),
    ("array_intersect(ARRAY[1, 5, 3], ARRAY[3, 1])", "[1, 3]", "D: array.html#array_intersect"),
    ("repeat(1, 3)", "[1, 1, 1]", "D: array.html#repeat"),
    ("trim_array(ARRAY[1, 2, 3, 4], 2)", "[1, 2]", "D: array.html#trim_array"),
    (
        "ngrams(ARRAY['foo', 'bar', 'baz', 'foo'], 2)",
        "[[foo, bar], [bar, baz], [baz, foo]]",
        "D: array.html#ngrams",
    ),
    ("zip_with(ARRAY[1, 2], ARRAY[3, 4], (x, y) -> x + y)", "[4, 6]", "D: array.html#zip_with"),
    ("reverse(ARRAY[1, 2, 3])", "[3, 2, 1]", "D: array.html#reverse"),
]

MAPS: list[Case] = [
    (
        "map_filter(MAP(ARRAY['k1', 'k2', 'k3'], ARRAY[20, 3, 15]), (k, v) -> v > 10)",
        "{k1=20, k3=15}",
        "D: map.html#map_filter",
    ),
    ("map_filter(MAP(ARRAY['a'], ARRAY[NULL]), (k, v) -> v IS NOT NULL)", "{}", "D: map.html#map_filter"),
    (
        "transform_values(MAP(ARRAY['a', 'b'], ARRAY[1, 2]), (k, v) -> v * 10)",
        "{a=10, b=20}",
        "D: map.html#transform_values",
    ),
    (
        "transform_keys(MAP(ARRAY['a', 'b'], ARRAY[1, 2]), (k, v) -> upper(k))",
        "{A=1, B=2}",
        "D: map.html#transform_keys",
    ),
    ("split_to_map('a=1,b=2', ',', '=')", "{a=1, b=2}", "D: string.html#split_to_map"),
    (
        "split_to_map('a=1,b=2,', ',', '=')",
        "{a=1, b=2}",
        "T: TestStringFunctions.testSplitToMap (trailing delimiter)",
    ),
    ("split_to_multimap('a=1,b=2,a=3', ',', '=')", "{a=[1, 3], b=[2]}", "D: string.html#split_to_multimap"),
    ("cardinality(MAP(ARRAY['a', 'b'], ARRAY[1, 2]))", "2", "D: map.html#cardinality"),
    (
        "MAP(ARRAY['a', 'b'], ARRAY[1, 2]) = MAP(ARRAY['b', 'a'], ARRAY[2, 1])",
        "true",
        "T: type/TestMapOperators (equality ignores order)",
    ),
]


@pytest.fixture(scope="module")
def ct(demo_home: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    yield from lake_client(demo_home, tmp_path_factory)


@pytest.mark.parametrize(
    "cases",
    [STRINGS, URLS, IPS, JSON, ARRAYS, MAPS],
    ids=["string", "url", "ip", "json", "array", "map"],
)
def test_functions_answer_as_trino(ct: Any, cases: list[Case]) -> None:
    check(ct, cases)


def test_aggregates(ct: Any) -> None:
    """map_agg, multimap_agg (D: aggregate.html#map_agg, #multimap_agg), every (D: aggregate.html#every),
    approx_most_frequent (D: aggregate.html#approx_most_frequent), checksum (equal for equal inputs)."""
    rows = run(
        ct,
        f"SELECT map_agg(x, y), multimap_agg(x, y), every(x > 0), approx_most_frequent(1, x, 10), "
        f"checksum(y) = checksum(y) "
        f"FROM (VALUES (1, 'a'), (2, 'b'), (1, 'a'), (NULL, 'd')) t(x, y) "
        f"CROSS JOIN (SELECT 1 FROM {DEMO_STORE_ID} LIMIT 1)",
    )
    assert rows == [["{1=a, 2=b}", "{1=[a, a], 2=[b]}", "true", "{1=2}", "true"]]
    (row,) = run(
        ct,
        f"SELECT count(*), count_if(contains('10.0.0.0/8', TRY_CAST(sourceIPAddress AS IPADDRESS))), "
        f"cardinality(map_agg(eventName, eventSource)) > 10 FROM {DEMO_STORE_ID}",
    )
    assert int(row[0] or 0) > 0 and row[2] == "true"


@pytest.mark.parametrize(
    "expr, message",
    [
        ("split_part('a', ',', 0)", "Index must be greater than zero"),
        ("CAST('facebook.com' AS IPADDRESS)", "Cannot cast value to IPADDRESS: facebook.com"),
        ("sequence(1, 100000)", "must not have more than 10000 entries"),
        ("is_json_scalar('[1')", "Invalid JSON value: [1"),
        ("split_to_map('a=1,a=2', ',', '=')", "Duplicate keys (a) are not allowed"),
        ("chr(-1)", "Not a valid Unicode code point: -1"),
        ("strpos('abc/xyz/foo/bar', '/', 0)", "'instance' must be a positive or negative number."),
        ("CAST(JSON '[1]' AS VARCHAR)", "Cannot cast '[1]' to varchar"),
    ],
)
def test_errors_fail_the_query(ct: Any, expr: str, message: str) -> None:
    """Where Trino fails the query, so does the local lake (T: TestStringFunctions.testSplitPart,
    TestIpAddressOperators.testVarcharToIpAddressCast, D: array.html#sequence, TestJsonFunctions)."""
    q = QueryRun(ct, f"SELECT {expr} FROM {DEMO_STORE_ID} LIMIT 1")
    try:
        q.start()
    except Exception as exc:  # refused at StartQuery (bound at once)
        assert message in str(exc)
        return
    state = q.wait(sleep=lambda s: time.sleep(min(s, 0.05)))
    assert state.status == "FAILED"
    assert message in (ct.describe_query(QueryId=q.query_id).get("ErrorMessage") or "")


def test_sequence_is_allowed_and_generate_series_tables_are_not(ct: Any) -> None:
    assert run(ct, f"SELECT cardinality(sequence(1, 10000)) FROM {DEMO_STORE_ID} LIMIT 1") == [["10000"]]
    q = QueryRun(ct, f"SELECT * FROM range(1, 5), {DEMO_STORE_ID} LIMIT 1")
    with pytest.raises(Exception, match=r"not allowed|Table functions"):
        q.start()
