"""Bad input over real HTTP: every refusal is a 4xx of the one error shape, says where the problem
is, never shows the service's code (no traceback, no server path), and changes nothing; names
that hold markup come back as JSON data; formula-like cells are neutralised in CSV downloads.

`service` is the team service (login required, a key per role); `limited_service` is one of its
own started with UFLPA_MAX_UPLOAD_MB=1 and UFLPA_MAX_BATCH=3 in its environment.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.service.conftest import Service, start_service, stop_service, wait_done

TRACEBACK_MARKERS = ("Traceback (most recent call last)", 'File "/', "site-packages", '.py", line')
MB = 1024 * 1024


def clean(response: httpx.Response, service: Service | None = None) -> httpx.Response:
    """No traceback and no path of the service's own in the body."""
    text = response.text
    for marker in TRACEBACK_MARKERS:
        assert marker not in text, f"{marker!r} in {text[:500]!r}"
    if service is not None:
        assert str(service.home) not in text, text[:500]
    return response


def error_of(response: httpx.Response, status: int, service: Service | None = None) -> Any:
    """The `error` object of a refusal with this status, after checking its shape."""
    clean(response, service)
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith("application/json"), response.headers
    error = response.json()["error"]
    assert error["status"] == status
    assert isinstance(error["type"], str) and error["type"]
    assert isinstance(error["message"], str) and error["message"]
    return error


def wheres(error: Any) -> list[str]:
    return [d["where"] for d in error.get("details", [])]


def jobs_on_disk(service: Service) -> set[str]:
    folder = service.home / "jobs"
    return {p.name for p in folder.iterdir()} if folder.is_dir() else set()


def job_count(client: httpx.Client) -> int:
    return len(client.get("/v1/screenings", params={"limit": 500}).json()["jobs"])


def party_file(rows: list[tuple[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "name"])
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


@pytest.fixture(scope="module")
def limited_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    home = tmp_path_factory.mktemp("limited-home")
    running = start_service(
        home, "--no-login", env={"UFLPA_MAX_UPLOAD_MB": "1", "UFLPA_MAX_BATCH": "3"}
    )
    yield running
    stop_service(running)


# --- request bodies and parameters --------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("/v1/match", '{"name": "Hoshine",'),
        ("/v1/match/batch", '{"parties": [{"name": "a"}'),
        ("/v1/compare", "name1=a&name2=b"),
        ("/v1/traces", "{'nodes': []}"),
    ],
)
def test_malformed_json_is_422_saying_where(service: Service, path: str, text: str) -> None:
    with service.client("viewer") as client:
        response = client.post(path, content=text, headers={"content-type": "application/json"})
    error = error_of(response, 422, service)
    assert error["type"] == "invalid_request"
    assert wheres(error) and all(w.startswith("body") for w in wheres(error)), error


@pytest.mark.parametrize(
    ("method", "path", "payload", "where"),
    [
        ("POST", "/v1/match", {"name": 5}, "body.name"),
        ("POST", "/v1/match", {"name": "x", "top": "many"}, "body.top"),
        ("POST", "/v1/match", {"name": "x", "top": 51}, "body.top"),
        ("POST", "/v1/match", {"name": "x", "identifiers": "abc"}, "body.identifiers"),
        # A number is not a date: 0 would be 1970-01-01, before any listing, and clear all.
        ("POST", "/v1/match", {"name": "Hoshine", "as_of": 0}, "body.as_of"),
        ("POST", "/v1/match", {"name": "x", "as_of": "yesterday"}, "body.as_of"),
        ("POST", "/v1/match", {"name": ""}, "body.name"),
        ("POST", "/v1/match", {"name": "x" * 2001}, "body.name"),
        ("POST", "/v1/match/batch", {"parties": []}, "body.parties"),
        ("POST", "/v1/match/batch", {"parties": [{"name": None}]}, "body.parties.0.name"),
        ("POST", "/v1/compare", {"name1": "a", "name2": "b", "use_list": "yes"}, "body.use_list"),
        ("POST", "/v1/compare", {"name1": "a", "name2": "b", "use_list": 0}, "body.use_list"),
        ("POST", "/v1/traces", {"nodes": [{"id": "a"}], "svg": 0}, "body.svg"),
        ("POST", "/v1/traces", {"nodes": [{"id": "a"}], "max_paths": 1.5}, "body.max_paths"),
        ("GET", "/v1/match?name=x&top=many", None, "query.top"),
        ("GET", "/v1/match?name=x&as_of=yesterday", None, "query.as_of"),
        ("GET", "/v1/match?name=Xinjiang Zhongtai Chemical&as_of=0", None, "query.as_of"),
        ("GET", "/v1/lists/us-dhs-uflpa/entities?as_of=86400", None, "query.as_of"),
        ("GET", "/v1/match", None, "query.name"),
        ("GET", "/v1/screenings?limit=0", None, "query.limit"),
        ("GET", "/v1/locate?address=", None, "query.address"),
    ],
)
def test_a_value_of_the_wrong_type_or_range_is_422_naming_it(
    service: Service, method: str, path: str, payload: Any, where: str
) -> None:
    with service.client("viewer") as client:
        response = client.request(method, path, json=payload)
    error = error_of(response, 422, service)
    assert error["type"] == "invalid_request"
    assert where in wheres(error), error
    assert where in error["message"]


@pytest.mark.parametrize(
    ("path", "payload", "where"),
    [
        ("/v1/match", {"name": "x", "colour": "red"}, "body.colour"),
        ("/v1/match", {"name": "x", "asof": "2024-01-01"}, "body.asof"),
        (
            "/v1/match/batch",
            {"parties": [{"name": "x", "kountry": "CN"}]},
            "body.parties.0.kountry",
        ),
        ("/v1/compare", {"name1": "a", "name2": "b", "threshold": 0.5}, "body.threshold"),
        ("/v1/traces", {"nodes": [{"id": "a", "owner": "b"}]}, "body.nodes.0.owner"),
    ],
)
def test_an_unknown_field_is_refused_not_ignored(
    service: Service, path: str, payload: Any, where: str
) -> None:
    with service.client("viewer") as client:
        response = client.post(path, json=payload)
    error = error_of(response, 422, service)
    assert wheres(error) == [where], error
    assert "Extra inputs are not permitted" in error["message"]


def test_a_body_over_the_limit_is_413_however_it_is_sent_and_changes_nothing(
    limited_service: Service,
) -> None:
    big_json = json.dumps({"name": "x" * (2 * MB)}).encode()
    big_csv = b"id,name\n" + b"1,Acme Textiles\n" * (2 * MB // 16)

    def chunks(data: bytes) -> Iterator[bytes]:
        for start in range(0, len(data), 64 * 1024):
            yield data[start : start + 64 * 1024]

    multipart = (
        b'--b0undary\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n'
        b"Content-Type: text/csv\r\n\r\n" + big_csv + b"\r\n--b0undary--\r\n"
    )
    before = jobs_on_disk(limited_service)
    with limited_service.client(None) as client:
        count = job_count(client)
        responses = {
            "json with a length": client.post(
                "/v1/match", content=big_json, headers={"content-type": "application/json"}
            ),
            "json chunked": client.post(
                "/v1/match", content=chunks(big_json), headers={"content-type": "application/json"}
            ),
            "upload with a length": client.post(
                "/v1/screenings", files={"file": ("big.csv", big_csv, "text/csv")}
            ),
            "upload chunked": client.post(
                "/v1/screenings",
                content=chunks(multipart),
                headers={"content-type": "multipart/form-data; boundary=b0undary"},
            ),
            "trace upload chunked": client.post(
                "/v1/traces/upload",
                content=chunks(multipart.replace(b'name="file"', b'name="nodes"')),
                headers={"content-type": "multipart/form-data; boundary=b0undary"},
            ),
        }
        for how, response in responses.items():
            error = error_of(response, 413, limited_service)
            assert error["type"] == "too_large", how
            assert "1 MB" in error["message"] and "UFLPA_MAX_UPLOAD_MB" in error["message"], how
            assert response.headers.get("x-content-type-options") == "nosniff", how
        # The service goes on answering, and nothing was kept.
        assert client.get("/v1/match", params={"name": "Hoshine"}).status_code == 200
        assert job_count(client) == count
    assert jobs_on_disk(limited_service) == before
    access = limited_service.log_text()
    assert access.count('"status": 413') >= len(responses)


def test_a_batch_over_the_limit_is_413_and_one_at_the_limit_is_answered(
    limited_service: Service,
) -> None:
    parties = [{"ref": str(i), "name": f"Party {i}"} for i in range(4)]
    with limited_service.client(None) as client:
        over = client.post("/v1/match/batch", json={"parties": parties})
        at = client.post("/v1/match/batch", json={"parties": parties[:3]})
    error = error_of(over, 413, limited_service)
    assert error["type"] == "too_large"
    assert "4 parties" in error["message"] and "UFLPA_MAX_BATCH" in error["message"]
    assert clean(at).status_code == 200
    assert [r["ref"] for r in at.json()["results"]] == ["0", "1", "2"]


# --- files ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "content", "status", "said"),
    [
        ("setup.exe", b"MZ\x90\x00\x03\x00\x00\x00", 400, "screens .csv"),
        ("report.csv", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< >>\nendobj\n", 422, "PDF"),
        ("book.xlsx", b"PK\x03\x04 not really a workbook", 422, "ZIP"),
        ("empty.csv", b"", 400, "empty"),
        ("columns.csv", b"a,b\n1,2\n", 422, "cannot tell a party file"),
    ],
)
def test_a_file_that_cannot_be_screened_is_refused_and_nothing_is_kept(
    service: Service, filename: str, content: bytes, status: int, said: str
) -> None:
    before = jobs_on_disk(service)
    with service.client("analyst") as client:
        count = job_count(client)
        response = client.post("/v1/screenings", files={"file": (filename, content)})
        error = error_of(response, status, service)
        assert said in error["message"] and filename in error["message"], error
        assert job_count(client) == count
    assert jobs_on_disk(service) == before


@pytest.mark.parametrize(
    ("path", "field", "data"),
    [
        ("/v1/screenings", "file", {"as_of": "0"}),
        ("/v1/screenings", "file", {"kind": "invoice"}),
        ("/v1/traces/upload", "nodes", {"as_of": "1"}),
        ("/v1/traces/upload", "nodes", {"max_paths": "0"}),
    ],
)
def test_a_form_field_of_the_wrong_type_is_422_and_nothing_is_kept(
    service: Service, path: str, field: str, data: dict[str, str]
) -> None:
    before = jobs_on_disk(service)
    with service.client("analyst") as client:
        response = client.post(
            path, files={field: ("parties.csv", party_file([("1", "Hoshine")]))}, data=data
        )
    error = error_of(response, 422, service)
    assert wheres(error) == [f"body.{next(iter(data))}"], error
    assert jobs_on_disk(service) == before


def test_unknown_encoding_is_refused_and_a_wrong_one_is_a_row_not_screened(
    service: Service,
) -> None:
    gbk = "id,name\n1,新疆中泰化学股份有限公司\n".encode("gbk")
    with service.client("analyst") as client:
        count = job_count(client)
        refused = client.post(
            "/v1/screenings", files={"file": ("gbk.csv", gbk)}, data={"encoding": "klingon"}
        )
        error = error_of(refused, 400, service)
        assert "klingon" in error["message"]
        assert job_count(client) == count

        forced = client.post(
            "/v1/screenings", files={"file": ("gbk.csv", gbk)}, data={"encoding": "utf-8"}
        )
        assert clean(forced).status_code == 202, forced.text
        job = wait_done(client, forced.json()["id"])
        assert job["state"] == "done" and job["summary"]["not_screened"] == 1, job
        problem = job["problems"][0]
        assert "cannot decode" in problem["reason"] and "encoding" in problem["reason"]
        assert problem["file"] == "gbk.csv" and str(service.home) not in json.dumps(job)

        detected = client.post("/v1/screenings", files={"file": ("gbk.csv", gbk)})
        job = wait_done(client, detected.json()["id"])
    assert job["state"] == "done" and job["summary"]["verdicts"]["hit"] == 1, job


# --- markup, formulas -----------------------------------------------------------------------------

MARKUP = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_markup_in_a_name_comes_back_as_json_data(service: Service) -> None:
    with service.client("viewer") as client:
        client.headers["Accept"] = "text/html"  # as a browser asks: the API still answers JSON
        got = client.get("/v1/match", params={"name": MARKUP})
        posted = client.post("/v1/compare", json={"name1": MARKUP, "name2": "Hoshine"})
        missing = client.get(f"/v1/screenings/{MARKUP}")
        too_long = client.get("/v1/match", params={"name": MARKUP * 100})
    for response in (got, posted):
        assert clean(response).status_code == 200
        assert response.headers["content-type"] == "application/json"
    for response in (got, posted, missing, too_long):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert response.text.lstrip().startswith("{"), response.text[:200]
    assert got.json()["query"]["name"] == MARKUP
    assert error_of(missing, 404, service)["type"].startswith("not_found")
    assert error_of(too_long, 422, service)["type"] == "invalid_request"


def test_a_csv_download_neutralises_formula_cells_unless_raw_csv(service: Service) -> None:
    formula = '=HYPERLINK("http://x","y")'
    rows = [("p1", formula), ("p2", "+cmd|' /C calc'!A0"), ("=1+1", "@SUM(A1)"), ("p4", "Acme")]
    with service.client("analyst") as client:
        submitted = client.post("/v1/screenings", files={"file": ("parties.csv", party_file(rows))})
        assert clean(submitted).status_code == 202, submitted.text
        job = wait_done(client, submitted.json()["id"])
        assert job["state"] == "done", job
        url = f"/v1/screenings/{job['id']}/results"
        safe = client.get(url, params={"format": "csv"})
        raw = client.get(url, params={"format": "csv", "raw_csv": "true"})
        data = client.get(url, params={"format": "json"}).json()
    assert safe.headers["content-type"].startswith("text/csv")
    by_id = {r["row"]: r for r in csv.DictReader(io.StringIO(clean(safe).text))}
    assert by_id["2"]["name"] == "'" + formula
    assert by_id["3"]["name"] == "'+cmd|' /C calc'!A0"
    assert by_id["4"]["id"] == "'=1+1" and by_id["4"]["name"] == "'@SUM(A1)"
    assert by_id["5"]["name"] == "Acme"
    raw_rows = {r["row"]: r for r in csv.DictReader(io.StringIO(clean(raw).text))}
    assert raw_rows["2"]["name"] == formula and raw_rows["4"]["id"] == "=1+1"
    # JSON is data, not a spreadsheet: the value as it was sent.
    assert [r["name"] for r in data["rows"]][:1] == [formula]


# --- who may -------------------------------------------------------------------------------------


def test_no_key_or_a_wrong_key_is_401_and_a_viewer_may_not_upload_or_ingest(
    service: Service,
) -> None:
    before = jobs_on_disk(service)
    with service.client(None) as anonymous:
        for response in (
            anonymous.get("/v1/match", params={"name": "x"}),
            anonymous.post("/v1/screenings", files={"file": ("p.csv", party_file([("1", "a")]))}),
            anonymous.get("/v1/match", params={"name": "x"}, headers={"X-API-Key": "uflpa_nope"}),
            anonymous.get(
                "/v1/lists", headers={"Authorization": "Bearer uflpa_0000_not-a-real-key"}
            ),
        ):
            assert error_of(response, 401, service)["type"] == "unauthorized"
            assert response.headers["www-authenticate"].startswith("Bearer")
    with service.client("viewer") as viewer:
        count = job_count(viewer)
        upload = viewer.post(
            "/v1/screenings", files={"file": ("p.csv", party_file([("1", "Hoshine")]))}
        )
        error = error_of(upload, 403, service)
        assert error["type"] == "forbidden" and "analyst" in error["message"]
        assert job_count(viewer) == count
        versions = viewer.get("/v1/lists/us-dhs-uflpa/versions").json()["versions"]
        for role in ("viewer", "analyst"):
            with service.client(role) as client:
                ingest = client.post(
                    "/v1/lists/us-dhs-uflpa/versions", files={"file": ("list.html", b"<html>")}
                )
                assert "admin" in error_of(ingest, 403, service)["message"]
        assert viewer.get("/v1/lists/us-dhs-uflpa/versions").json()["versions"] == versions
    assert jobs_on_disk(service) == before


@pytest.mark.parametrize(
    ("filename", "content", "source", "status", "said"),
    [
        ("setup.exe", b"MZ\x90\x00", None, 400, "setup.exe"),
        ("list.html", b"<html><body>nothing listed here</body></html>", None, 422, "list.html"),
        ("list.json", b'{"not": "json lines"', None, 422, "list.json"),
        ("list.html", b"<html></html>", "tests", 400, "unknown list source 'tests'"),
    ],
)
def test_ingesting_a_file_that_is_not_a_list_is_refused_and_stores_nothing(
    service: Service, filename: str, content: bytes, source: str | None, status: int, said: str
) -> None:
    with service.client("admin") as admin:
        versions = admin.get("/v1/lists/us-dhs-uflpa/versions").json()["versions"]
        response = admin.post(
            "/v1/lists/us-dhs-uflpa/versions",
            files={"file": (filename, content)},
            data={"source": source} if source else {},
        )
        error = error_of(response, status, service)
        assert said in error["message"], error
        assert admin.get("/v1/lists/us-dhs-uflpa/versions").json()["versions"] == versions
        assert admin.get("/v1/match", params={"name": "Hoshine"}).status_code == 200


def test_a_job_that_is_not_done_or_not_there_answers_without_results(service: Service) -> None:
    with service.client("viewer") as client:
        for path in ("/v1/screenings/0123456789abcdef", "/v1/screenings/../../etc/passwd"):
            response = client.get(path)
            assert response.status_code == 404, response.text
            clean(response, service)
        response = client.get("/v1/screenings/0123456789abcdef/results", params={"format": "xls"})
        assert "query.format" in wheres(error_of(response, 422, service))
        response = client.get("/v1/screenings/0123456789abcdef/results", params={"sort": "name"})
        error_of(response, 404, service)
