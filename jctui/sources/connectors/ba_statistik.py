"""The statistics API of the Bundesagentur für Arbeit (no login), as a connector.

```toml
[[sources]]
name = "ba"
connector = "ba-statistik"
table = "EckwerteZeitreiheGrusiDBL"
regions = ["Offenbach", "06413", "Hessen"]   # the BA's names, or AGS keys (its list)
```

One request per region and refresh, a pause between them (the BA's own clients wait about
0.25 s), under the level the BA's list gives the name (`?Kreis=`, `?Bundesland=`, `?Agentur
für Arbeit=`; a state's figures are an aggregate, never a Jobcenter):
`pc/v1/tableFetch/dia/<TABLE>?Kreis=<NAME>` answers a flat list of JSON cells
(`{"index": 0, "metricName": "…", "value": 16039, "showValue": "16.039", "attributes":
{"0": {"DESC": "Juli 2018"}}}`); with `format = "csv"` `ct/v1/tableFetch/csv/<TABLE>`
answers a CSV with metadata lines, a header, German numbers and a © footer. Both become
canonical long records (jobcenter_id = the region's id: AGS, state code or key; name = the
BA's name, period from the German month label, metric mapped by label, value; `showValue`
only where `value` is null, for its sign), handed to the JSON reader.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jctui.config import SourceDef, default_metrics, redact_url
from jctui.config.catalogue import label_figure_key
from jctui.errors import SourceError
from jctui.sources import Fetched
from jctui.sources.connectors import Connector
from jctui.sources.connectors.ba_regions import Region, closest, region_list, resolve
from jctui.sources.template import german_month
from jctui.textsafe import safe_text

BASE_URL = "https://statistik-dr.arbeitsagentur.de/bifrontend/bids-api"
PAUSE = 0.3  # seconds between two requests: a few per second at most

Record = dict[str, Any]
LABELS = "labels"  # Fetched.extra: the metricNames the catalogue lacks (JSON: key -> name)


def table_url(src: SourceDef) -> str:
    """The URL of the table's JSON (or CSV) answer."""
    base = (src.base_url or BASE_URL).rstrip("/")
    kind = "ct/v1/tableFetch/csv" if src.format == "csv" else "pc/v1/tableFetch/dia"
    return f"{base}/{kind}/{quote(src.table, safe='')}"


def metric_names(src: SourceDef) -> dict[str, str]:
    """Lower-case label -> catalogue key: the catalogue's labels (also without their
    "(ELB)"), its aliases, and the source's `[sources.metrics]` over them."""
    names: dict[str, str] = {}
    for key, metric in default_metrics().items():
        for label in (key, metric.label_de, metric.label_en, *metric.aliases):
            names[label.strip().lower()] = key
            head, sep, _ = label.rpartition(" (")
            if sep and head:
                names.setdefault(head.strip().lower(), key)
    names.update({label.strip().lower(): key for label, key in src.metrics.items()})
    return names


def fetch(
    src: SourceDef, *, etag: str = "", client: Any = None, folder: Path | None = None
) -> Fetched:
    """Every region's answer as one JSON body of canonical records; `not_modified` when
    it holds what the tag `etag` names."""
    from jctui.locations import cache_dir
    from jctui.sources.http import build_client

    url = table_url(src)
    own = client is None
    client = client or build_client(dataclasses.replace(src, url=url))
    try:
        kept = folder or cache_dir("")
        listed = region_list(src, kept, client)
        regions = resolve(src.regions, listed, f"sources.{src.name}.regions")
        names = metric_names(src)
        records: list[Record] = []
        labels: dict[str, str] = {}
        for number, region in enumerate(dict.fromkeys(regions)):
            if number:
                time.sleep(PAUSE)
            params = {**src.http.params, region.level: region.name}  # the list's level
            one = dataclasses.replace(
                src, url=url, connector="", http=dataclasses.replace(src.http, params=params)
            )
            got = refused_named(one, client, region, listed)
            where = f"{redact_url(url)} ({region.level} {region.name})"
            rows = (
                csv_records(got.data, where)
                if src.format == "csv"
                else json_records(got.data, where)
            )
            records.extend(_canonical(rows, region, names, labels))
    finally:
        if own:
            client.close()
    body = json.dumps(records, ensure_ascii=False).encode()
    tag = "ba:" + hashlib.sha256(body).hexdigest()[:24]
    origin = f"{redact_url(url)} ({len(regions)} regions)"
    if etag == tag:
        return Fetched(b"", origin, etag=tag, not_modified=True)
    extra = {LABELS: json.dumps(labels, ensure_ascii=False)} if labels else {}
    return Fetched(body, origin, format_hint="json", etag=tag, extra=extra)


def refused_named(one: SourceDef, client: Any, region: Region, listed: list[Region]) -> Fetched:
    """The answer for one region; a region the API refuses (400, 404, 422) is an error
    naming it, its level and the names of the list closest to it."""
    from jctui.sources.http import HttpSourceError, fetch_http

    try:
        return fetch_http(one, client=client)
    except HttpSourceError as exc:
        if exc.status not in (400, 404, 422):
            raise
        near = closest(region.name, [r for r in listed if r.name != region.name])
        raise HttpSourceError(
            f"{exc.message}: the API refused {region.level} {region.name!r}{near}",
            status=exc.status,
            retry_after=exc.retry_after,
        ) from None


def _canonical(
    rows: Iterator[tuple[str, str, Any]],
    region: Region,
    names: Mapping[str, str],
    labels: dict[str, str],
) -> Iterator[Record]:
    """(month label, metric name, value) as canonical long records of `region`; a
    metricName the catalogue lacks is a figure of its own under a key derived from it
    (jctui.config.catalogue.label_figure_key), its name kept in `labels` (key -> name)."""
    for label, metric, value in rows:
        period = german_month(label) or label
        key = names.get(metric.strip().lower())
        if key is None:
            key = label_figure_key(metric, names.values())
            labels[key] = " ".join(metric.split())
        yield {
            "jobcenter_id": region.ident,
            "name": region.label,
            "period": period,
            "metric": key,
            "value": value,
        }


def json_records(data: bytes, where: str) -> Iterator[tuple[str, str, Any]]:
    """(month label, metric name, value) of each cell of the JSON answer."""
    try:
        cells = json.loads(data)
    except ValueError as exc:
        raise SourceError(f"{where}: invalid JSON ({exc})") from None
    if isinstance(cells, dict):  # a wrapped list, should the API wrap it
        cells = next((v for v in cells.values() if isinstance(v, list)), None)
    if not isinstance(cells, list):
        raise SourceError(f"{where}: not a list of cells")
    for cell in cells:
        if not isinstance(cell, dict):
            continue
        metric, attributes = cell.get("metricName"), cell.get("attributes")
        label = ""
        if isinstance(attributes, dict):
            first = attributes.get("0")
            if isinstance(first, dict) and isinstance(first.get("DESC"), str):
                label = first["DESC"]
        if not isinstance(metric, str) or not label:
            continue
        value = cell.get("value")
        if isinstance(value, str):  # a number written as text: German, as shown
            value = german_number(safe_text(value))
        elif value is None:  # showValue only for its sign (`*`, `-`, `x`), never a number
            shown = cell.get("showValue")
            sign = german_number(safe_text(shown)) if isinstance(shown, str) else ""
            if not isinstance(sign, str) or not sign:
                continue
            value = sign
        elif isinstance(value, bool) or not isinstance(value, (int, float)):
            continue
        yield safe_text(label), safe_text(metric), value


def german_number(text: str) -> float | str:
    """ "16.039" -> 16039.0, "1,5" -> 1.5; a sign ("*", "-", "x") stays text."""
    cleaned = text.strip().replace(".", "").replace(",", ".").replace(" ", "")
    try:
        return float(cleaned)
    except ValueError:
        return text.strip()


def csv_records(data: bytes, where: str) -> Iterator[tuple[str, str, Any]]:
    """(month label, metric name, value) of the CSV answer: metadata lines (`Kreis:;…`),
    a blank line, a header (`Berichtsmonat;<metric>;…` for a time series, `Ausgewählte
    Merkmale;<month>;…` for a current table), German numbers, a © footer."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    lines = [line.rstrip("\r") for line in text.split("\n")]
    start = next(
        (
            i
            for i, line in enumerate(lines)
            if line.strip() and not line.split(";")[0].endswith(":")
        ),
        None,
    )
    if start is None:
        raise SourceError(f"{where}: no header line in the CSV answer")
    header = [h.strip() for h in lines[start].split(";")]
    body = []
    for line in lines[start + 1 :]:
        if not line.strip() or line.lstrip().startswith("©"):
            break
        body.append([c.strip() for c in line.split(";")])
    if header[0].lower() == "berichtsmonat":  # time series: a row per month
        for row in body:
            for metric, cell in zip(header[1:], row[1:], strict=False):
                if metric and cell:
                    yield safe_text(row[0]), safe_text(metric), german_number(cell)
        return
    months = [(i, h) for i, h in enumerate(header) if german_month(h)]
    if not months:
        raise SourceError(f"{where}: CSV header names no month (neither Berichtsmonat nor months)")
    for row in body:
        for i, label in months:
            if i < len(row) and row[i] and row[0]:
                yield safe_text(label), safe_text(row[0]), german_number(row[i])


CONNECTOR = Connector(
    name="ba-statistik",
    keys=("table", "regions", "base_url", "regions_url", "format", "metrics", "http"),
    fetch=fetch,
    description="Statistik der Bundesagentur für Arbeit: tables per Kreis (JSON or CSV)",
)
