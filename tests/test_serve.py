"""`trailtui serve` with the real AWS CLI and boto3: the seed session, signatures, identity, faults, stop."""

from __future__ import annotations

import json
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from benchmarks.serving import read_banner, serve_command
from tests.awsenv import child_env, keys_env
from trailtui.local.demo import DEMO_STORE_ID
from trailtui.local.service import LocalLake

KEY, SECRET = "AKIATESTSERVE0001", "test-secret-value-0001"
SEED = (
    f"SELECT eventTime, eventSource, eventName, RecipientAccountId FROM {DEMO_STORE_ID} "
    "WHERE eventTime >= '2026-11-20 16:00:00' AND eventTime <= '2026-11-20 17:00:00' ORDER BY eventTime ASC LIMIT 3"
)
SLOW = f"SELECT count(*) FROM {DEMO_STORE_ID} a CROSS JOIN {DEMO_STORE_ID} b WHERE a.eventid < b.eventid"
AWS = shutil.which("aws", path=str(Path(sys.executable).parent)) or shutil.which("aws")


class Served:
    def __init__(self, proc: subprocess.Popen[str], url: str, banner: str) -> None:
        self.proc, self.url, self.banner = proc, url, banner


@pytest.fixture
def served(demo_lake: Any) -> Iterator[Served]:
    proc = subprocess.Popen(
        serve_command("--account-id", "444455556666", "--access-key-id", KEY, "--secret-access-key", SECRET),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    banner, url = read_banner(proc)
    server = Served(proc, url, banner)
    yield server
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)


def aws(served: Served, *args: str, check: bool = True, **environ: str) -> subprocess.CompletedProcess[str]:
    assert AWS, "the awscli test dependency provides the aws command"
    return subprocess.run(
        [AWS, *args, "--endpoint-url", served.url],
        capture_output=True,
        text=True,
        env=keys_env(KEY, SECRET, **environ),
        check=check,
        timeout=60,
    )


def client(url: str, key: str = KEY, secret: str = SECRET, service: str = "cloudtrail", **config: Any) -> Any:
    retries = config.pop("retries", {"mode": "standard", "total_max_attempts": 1})
    return boto3.session.Session(
        aws_access_key_id=key, aws_secret_access_key=secret, region_name="us-east-1"
    ).client(service, endpoint_url=url, config=Config(retries=retries, **config))


def test_aws_cli_seed_session(served: Served) -> None:
    assert SECRET not in served.banner  # a secret given by the user is not echoed
    assert "export AWS_REGION=us-east-1 " in served.banner  # the JavaScript SDK reads only AWS_REGION
    qid = json.loads(aws(served, "cloudtrail", "start-query", "--query-statement", SEED).stdout)["QueryId"]
    deadline = time.monotonic() + 30
    while (
        json.loads(aws(served, "cloudtrail", "describe-query", "--query-id", qid).stdout)["QueryStatus"]
        != "FINISHED"
    ):
        assert time.monotonic() < deadline
        time.sleep(0.2)
    out = json.loads(
        aws(
            served, "cloudtrail", "get-query-results", "--event-data-store", DEMO_STORE_ID, "--query-id", qid
        ).stdout
    )
    assert out["QueryStatus"] == "FINISHED"
    assert out["QueryStatistics"]["ResultsCount"] == out["QueryStatistics"]["TotalResultsCount"] == 3
    assert [list(c) for c in out["QueryResultRows"][0]] == [
        ["eventTime"],
        ["eventSource"],
        ["eventName"],
        ["RecipientAccountId"],
    ]
    shown = re.findall(  # docs/serve.md prints this session's first rows: they are the demo's
        r'\{"eventTime": "([^"]+)"\}, \{"eventSource": "([^"]+)"\},\s*\{"eventName": "([^"]+)"\}, '
        r'\{"RecipientAccountId": "([^"]+)"\}',
        (Path(__file__).parents[1] / "docs" / "serve.md").read_text(),
    )
    got = [tuple(next(iter(c.values())) for c in row) for row in out["QueryResultRows"]]
    assert len(shown) == 2 and got[:2] == shown
    stores = json.loads(aws(served, "cloudtrail", "list-event-data-stores").stdout)["EventDataStores"]
    assert stores[0]["EventDataStoreArn"].startswith(
        "arn:aws:cloudtrail:us-east-1:444455556666:eventdatastore/"
    )
    eds = json.loads(
        aws(served, "cloudtrail", "get-event-data-store", "--event-data-store", DEMO_STORE_ID).stdout
    )
    assert eds["Name"] == "org-events" and eds["OrganizationEnabled"] is True
    listed = json.loads(aws(served, "cloudtrail", "list-queries", "--event-data-store", DEMO_STORE_ID).stdout)
    assert qid in [q["QueryId"] for q in listed["Queries"]]
    slow = json.loads(aws(served, "cloudtrail", "start-query", "--query-statement", SLOW).stdout)["QueryId"]
    cancelled = json.loads(aws(served, "cloudtrail", "cancel-query", "--query-id", slow).stdout)
    assert cancelled["QueryStatus"] == "CANCELLED"
    ident = json.loads(aws(served, "sts", "get-caller-identity").stdout)
    assert ident["Account"] == "444455556666" and ident["Arn"].endswith(":user/trailtui-serve")


def test_the_profile_of_the_docs_works_for_the_aws_cli_and_trailtui(served: Served, tmp_path: Path) -> None:
    docs = (Path(__file__).parents[1] / "docs" / "serve.md").read_text()
    example = re.search(r"```ini\n(.*?)```", docs, re.S)
    assert example, "docs/serve.md shows the profile to add"
    text = example.group(1).replace("http://127.0.0.1:8743", served.url)
    text = text.replace("aws_access_key_id = AKIA...", f"aws_access_key_id = {KEY}")
    text = text.replace("aws_secret_access_key = ...", f"aws_secret_access_key = {SECRET}")
    config, credentials = text.split("# ~/.aws/credentials\n")
    (tmp_path / "config").write_text(config)
    (tmp_path / "credentials").write_text(credentials)
    env = child_env(
        AWS_CONFIG_FILE=str(tmp_path / "config"), AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "credentials")
    )

    def run(*command: str) -> str:
        return subprocess.run(
            command, capture_output=True, text=True, env=env, check=True, timeout=120
        ).stdout

    stores = json.loads(run(str(AWS), "--profile", "local-lake", "cloudtrail", "list-event-data-stores"))
    assert [s["Name"] for s in stores["EventDataStores"]] == ["org-events"]
    assert json.loads(run(str(AWS), "--profile", "local-lake", "sts", "get-caller-identity"))["Account"] == (
        "444455556666"
    )
    sql = f"SELECT count(*) AS n FROM {DEMO_STORE_ID} WHERE eventName = 'StopLogging'"
    out = run(sys.executable, "-m", "trailtui", "query", "--profile", "local-lake", "--format", "csv", sql)
    assert out.split()[0] == "n" and int(out.split()[1]) >= 1


def test_aws_cli_prints_errors_as_for_aws(served: Served) -> None:
    bad = aws(served, "cloudtrail", "start-query", "--query-statement", "DROP TABLE x", check=False)
    assert bad.returncode != 0
    assert (
        "An error occurred (InvalidQueryStatementException) when calling the StartQuery operation:"
        in bad.stderr
    )
    gone = aws(
        served,
        "cloudtrail",
        "describe-query",
        "--query-id",
        "11111111-2222-4333-8444-555555555555",
        check=False,
    )
    assert "(QueryIdNotFoundException) when calling the DescribeQuery operation" in gone.stderr


# Loaded by the AWS CLI's Python at start-up (sitecustomize), it sets the clock botocore signs with off by
# CLOCK_OFFSET_MINUTES: a client machine whose clock is wrong, the usual cause of an expired signature.
_CLOCK_OFF = """
import datetime, os
import botocore.auth
_now = botocore.auth.get_current_datetime
_off = datetime.timedelta(minutes=int(os.environ["CLOCK_OFFSET_MINUTES"]))
botocore.auth.get_current_datetime = lambda *a, **k: _now(*a, **k) + _off
"""


def test_aws_cli_credential_errors_are_worded_as_aws_words_them(served: Served, tmp_path: Path) -> None:
    def error_line(*options: str, **environ: str) -> str:
        done = aws(served, "cloudtrail", "list-event-data-stores", *options, check=False, **environ)
        assert done.returncode != 0 and done.stdout == ""
        return done.stderr.strip()

    calling = "when calling the ListEventDataStores operation: "
    assert error_line(AWS_SECRET_ACCESS_KEY="wrong") == (
        f"An error occurred (InvalidSignatureException) {calling}The request signature we calculated does "
        "not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult "
        "the service documentation for details."
    )
    assert error_line(AWS_ACCESS_KEY_ID="AKIAUNKNOWN0000") == (
        f"An error occurred (UnrecognizedClientException) {calling}The security token included in the "
        "request is invalid."
    )
    # serve's key is long-term, like an IAM user's: a session token sent with it (AWS_SESSION_TOKEN left set
    # from another session) belongs to no key here, and AWS refuses such a token rather than ignore it.
    assert error_line(AWS_SESSION_TOKEN="FwoGZXIvYXdzEJr//////////wEaDH7example") == (
        f"An error occurred (UnrecognizedClientException) {calling}The security token included in the "
        "request is invalid."
    )
    sts = aws(served, "sts", "get-caller-identity", check=False, AWS_SESSION_TOKEN="FwoGZXIvYXdzEJrexample")
    assert sts.returncode != 0 and sts.stderr.strip() == (
        "An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: The security "
        "token included in the request is invalid."
    )
    assert error_line("--no-sign-request") == (
        f"An error occurred (MissingAuthenticationTokenException) {calling}Missing Authentication Token"
    )
    (tmp_path / "sitecustomize.py").write_text(_CLOCK_OFF)
    words = {
        -20: r"Signature expired: (\S+) is now earlier than (\S+) \((\S+) - 15 min\.\)",
        20: r"Signature not yet current: (\S+) is still later than (\S+) \((\S+) \+ 15 min\.\)",
    }
    for minutes, wording in words.items():  # the client's clock 20 minutes slow, then 20 minutes fast
        line = error_line(PYTHONPATH=str(tmp_path), CLOCK_OFFSET_MINUTES=str(minutes))
        m = re.fullmatch(rf"An error occurred \(InvalidSignatureException\) {calling}{wording}", line)
        assert m, line
        signed, bound, now = (datetime.strptime(g, "%Y%m%dT%H%M%SZ") for g in m.groups())
        assert bound - now == timedelta(minutes=15 if minutes > 0 else -15)
        assert abs(signed - now - timedelta(minutes=minutes)) < timedelta(minutes=1)
    on_time = aws(
        served, "cloudtrail", "list-event-data-stores", PYTHONPATH=str(tmp_path), CLOCK_OFFSET_MINUTES="-14"
    )
    assert json.loads(on_time.stdout)["EventDataStores"]  # within AWS's 15 minutes, a slow clock is fine


def test_trailtui_query_on_a_machine_whose_clock_is_off_says_so(served: Served, tmp_path: Path) -> None:
    (tmp_path / "sitecustomize.py").write_text(_CLOCK_OFF)
    env = keys_env(KEY, SECRET, region=None, PYTHONPATH=str(tmp_path), CLOCK_OFFSET_MINUTES="-30")
    command = [
        sys.executable,
        "-m",
        "trailtui",
        "query",
        "--endpoint-url",
        served.url,
        "--region",
        "us-east-1",
    ]
    done = subprocess.run([*command, SEED], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.startswith("trailtui: This machine's clock is more than 15 minutes off")
    assert "Signature expired:" in done.stderr and "Set the clock right" in done.stderr


@pytest.mark.parametrize("secret_from", ["generated", "environment", "flag"])
def test_the_banner_block_works_pasted_into_a_shell(home: Path, secret_from: str) -> None:
    env = child_env()
    env["PATH"] = f"{Path(str(AWS)).parent}:{env.get('PATH', '')}"
    options = ["--no-demo"]
    typed = ""  # what the user types besides the pasted block
    if secret_from == "environment":
        env["TRAILTUI_SERVE_SECRET_ACCESS_KEY"] = SECRET
        options += ["--access-key-id", KEY]
    elif secret_from == "flag":
        options += ["--access-key-id", KEY, "--secret-access-key", SECRET]
        typed = f"export AWS_SECRET_ACCESS_KEY={SECRET}\n"
    proc = subprocess.Popen(serve_command(*options), stdout=subprocess.PIPE, text=True, env=env)
    try:
        banner, _ = read_banner(proc)
        assert secret_from == "generated" or SECRET not in banner
        block = "\n".join(ln for ln in banner.splitlines() if ln.startswith("  "))
        assert block.rstrip().endswith("aws cloudtrail list-event-data-stores")
        shell = subprocess.run(
            ["bash", "-c", f"set -e\n{typed}{block}"], capture_output=True, text=True, env=env, timeout=60
        )
        assert shell.returncode == 0, shell.stderr
        assert json.loads(shell.stdout) == {"EventDataStores": []}
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_a_port_in_use_says_what_to_do(home: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        command = serve_command("--no-demo")
        command[command.index("--port") + 1] = str(port)
        done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "Listening" not in done.stdout
    assert done.stderr.strip() == (
        f"trailtui serve: cannot listen on 127.0.0.1:{port}: Address already in use (another trailtui serve, "
        "or another program, has it): choose another with --port N, or --port 0 for a free one"
    )


def test_signatures_are_checked(served: Served) -> None:
    with pytest.raises(ClientError) as e:
        client(served.url, secret="wrong").list_event_data_stores()
    assert e.value.response["Error"]["Code"] == "InvalidSignatureException"
    with pytest.raises(ClientError) as e:
        client(served.url, key="AKIAUNKNOWN0000").list_event_data_stores()
    assert e.value.response["Error"]["Code"] == "UnrecognizedClientException"
    unsigned = urllib.request.Request(
        served.url + "/",
        data=b"{}",
        method="POST",
        headers={
            "X-Amz-Target": "CloudTrail_20131101.ListEventDataStores",
            "Content-Type": "application/x-amz-json-1.1",
        },
    )
    with pytest.raises(urllib.error.HTTPError) as he:
        urllib.request.urlopen(unsigned, timeout=10)
    assert json.loads(he.value.read())["__type"] == "MissingAuthenticationTokenException"
    with_token = boto3.session.Session(
        aws_access_key_id=KEY, aws_secret_access_key=SECRET, aws_session_token="IQoJb3JpZ2luX2VjEexample"
    ).client("cloudtrail", endpoint_url=served.url, region_name="us-east-1")
    with pytest.raises(ClientError) as e:  # signed correctly, but with a token the key never had
        with_token.start_query(QueryStatement=SEED)
    assert e.value.response["Error"]["Code"] == "UnrecognizedClientException"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert client(served.url).list_event_data_stores()["EventDataStores"]


def test_sigterm_stops_cleanly_and_cancels_running_queries(served: Served, demo_lake: Any) -> None:
    ct = client(served.url)
    qid = ct.start_query(QueryStatement=SLOW)["QueryId"]
    time.sleep(0.5)
    served.proc.send_signal(signal.SIGTERM)
    assert served.proc.wait(timeout=30) == 0
    assert "stopped after" in (served.proc.stderr.read() if served.proc.stderr else "")
    lake = LocalLake()  # the lake and its query records are consistent for the next process
    try:
        state = lake.engine.describe(qid)
        assert state.status == "CANCELLED"
        assert lake.engine.stores()[0].event_count >= 100_000
    finally:
        lake.close()


# -- in-process servers for fault injection and load: the same server code, started in a thread --------------
