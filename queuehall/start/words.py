"""The start page's sentences (pagekit/words.py explains the catalogue)."""
from __future__ import annotations

from pagekit.words import Words, catalogue

START: Words = {
    "subtitle": ("政务服务大厅排队叫号系统", "Queue ticketing for government service halls"),
    "manager_link": ("管理控制台（实时大厅、报表、排班建议）", "Manager console (live hall, reports, staffing)"),
    "categories_json": ("业务类别与排队人数（JSON）", "Categories and queues (JSON)"),
    "health": ("健康检查", "Health"),
}

CATALOGUE = catalogue(START)
