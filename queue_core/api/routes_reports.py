"""Reports for managers: a date range of a site as JSON, or one of its tables as CSV."""
from __future__ import annotations

import csv
import io
from datetime import date
from typing import Literal

from flask import Response
from pydantic import Field

from ..domain.rights import Right
from ..service import queries
from ..service.reports import report_table, site_report, today_range
from . import api
from .auth import hall
from .endpoint import endpoint
from .errors import language
from .schemas import Body, IsoDate


class ReportQuery(Body):
    first: IsoDate | None = Field(None, alias="from",
                                  description="first service day (YYYY-MM-DD); default today in "
                                              "the site's timezone")
    last: IsoDate | None = Field(None, alias="to", description="last service day, inclusive; "
                                                              "default the first day")
    lang: Literal["zh", "en"] | None = None


class ReportCsvQuery(ReportQuery):
    table: Literal["categories", "windows", "staff", "arrivals", "satisfaction"] = "categories"


# A text cell starting with one of these is a formula to Excel or LibreOffice (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A cell as written: names and labels (text typed by people) that would start a formula get
    a leading quote (OWASP); numbers, negative ones included, stay numbers."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_document(columns: list[tuple[str, str]], rows: list[dict]) -> bytes:
    out = io.StringIO()
    out.write("\ufeff")  # Excel reads UTF-8 (Chinese names) only with the byte order mark
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([csv_cell(label) for _, label in columns])
    for row in rows:
        writer.writerow([csv_cell(row.get(key)) for key, _ in columns])
    return out.getvalue().encode("utf-8")


def build_report(site_code: str, first: date | None, last: date | None) -> dict:
    """The site's report of `first`..`last`; one day when only one is given, today when none."""
    with hall().db.reader() as session:
        site = queries.get_site(session, site_code)
        first = first or last or today_range(site, hall().clock.now())[0]
        return site_report(session, site, first, last or first, hall().clock.now())


@endpoint(api, "/sites/<site>/reports", tag="reports", right=Right.REPORTS, query=ReportQuery,
          summary="Statistics of a date range: per category, window and staff member, arrivals "
                  "per half hour, 好差评 and its link to waiting time")
def report(actor, site: str, query: ReportQuery) -> dict:
    return build_report(site, query.first, query.last)


@endpoint(api, "/sites/<site>/reports.csv", tag="reports", right=Right.REPORTS, query=ReportCsvQuery,
          summary="One table of the report as CSV (UTF-8 with BOM, for Excel)",
          media_type="text/csv")
def report_csv(actor, site: str, query: ReportCsvQuery) -> Response:
    data = build_report(site, query.first, query.last)
    lang = query.lang or language()
    columns, rows = report_table(data, query.table, lang)
    filename = f"queuehall-{site}-{query.table}-{data['from']}_{data['to']}.csv"
    return Response(csv_document(columns, rows), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"',
                             "Cache-Control": "no-store"})
