"""The weekly lists as files people forward: CSV (formula-safe), one HTML page per rep and Markdown, every
value escaped (:mod:`graphapp.export.text_safety`: names and reasons are imported text). Input:
``WeeklyResult.as_dict()``."""

from __future__ import annotations

import re
import unicodedata

from graphapp.domain.tie_labels import tier_bar
from graphapp.export.csv_safe import to_csv
from graphapp.export.text_safety import html_block, html_text, markdown_text

CSV_HEADER = ("week", "rep", "rep_email", "kind", "score", "reason", "connector", "target", "target_title",
              "first_tier", "first_why", "weakest_tier", "draft")


def _row(week: str, rep: dict, item: dict) -> tuple:
    path = item["path"] or {}
    hops = path.get("hops") or []
    connector = hops[0]["to"]["name"] if len(hops) > 1 else ""
    target = path.get("target") or {}
    first = hops[0] if hops else {}
    return (week, rep["name"], rep["email"] or "", item["kind"],
            "" if item["score"] is None else f"{item['score']:.2f}", item["reason"], connector,
            target.get("name", ""), target.get("title") or "", first.get("tier") or "", first.get("label") or "",
            path.get("tier") or "", item["draft"] or "")


def _tier(item: dict) -> str:
    """How strong a suggestion's path is, in words with a bar (its weakest link's tier): the files lead with
    it, as the pages do; the score (two decimals, as on the pages) is in the CSV only."""
    return tier_bar((item["path"] or {}).get("tier"))


def weekly_csv(data: dict) -> str:
    """Every rep's items, one row each; cells that a spreadsheet would run as formulas are neutralised."""
    return to_csv([_row(data["week"], r["rep"], i) for r in data["reps"] for i in r["items"]], header=CSV_HEADER)


def weekly_markdown(data: dict) -> str:
    """Every rep's list as Markdown; each name and reason is escaped, so the file holds no markup of its own
    from imported data (no link, image or raw HTML)."""
    md = markdown_text
    lines = [f"# Suggested introductions, week {md(data['week'])}", ""]
    for r in data["reps"]:
        lines += [f"## {md(r['rep']['name'])}", ""]
        champions = [i for i in r["items"] if i["kind"] == "champion"]
        if champions:
            lines += ["Champions who moved:", *[f"- {md(i['reason'])}" for i in champions], ""]
        intros = [i for i in r["items"] if i["kind"] == "intro"]
        cadence = [i for i in r["items"] if i["kind"] == "cadence"]
        lines += [f"{n}. " + (f"**{_tier(i)}** " if _tier(i) else "") + md(i["reason"])
                  for n, i in enumerate(intros, 1)] or ["No new paths this week."]
        if cadence:
            lines += ["", "Cadence:", *[f"- {md(i['reason'])}" for i in cadence]]
        lines.append("")
    return "\n".join(lines)


_STYLE = ("body{font-family:Helvetica,Arial,sans-serif;max-width:760px;margin:2em auto;color:#1e293b}"
          "li{margin:.6em 0}.score{color:#2563eb;font-weight:bold}pre{white-space:pre-wrap;background:#f1f5f9;"
          "padding:.8em;border-radius:6px}")


def weekly_html(data: dict, rep: dict, items: list[dict]) -> str:
    """One rep's list as a self-contained page, ready to e-mail; every value is escaped."""
    e = html_text
    intros = [i for i in items if i["kind"] == "intro"]
    cadence = [i for i in items if i["kind"] == "cadence"]
    parts = [f"<!doctype html><html><head><meta charset='utf-8'><title>{e(rep['name'])}: week {e(data['week'])}"
             f"</title><style>{_STYLE}</style></head><body>",
             f"<h1>{e(rep['name'])}: suggested introductions, week {e(data['week'])}</h1>"]
    champions = [i for i in items if i["kind"] == "champion"]
    if champions:
        parts += ["<h2>Champions who moved</h2><ul>", *[
            f"<li>{e(i['reason'])}" + (f"<details><summary>Draft message</summary><pre>{html_block(i['draft'])}</pre>"
                                       "</details>" if i["draft"] else "") + "</li>" for i in champions], "</ul>"]
    parts.append("<ol>")
    for i in intros:
        parts.append(f"<li><span class='score'>{e(_tier(i))}</span> {e(i['reason'])}"
                     + (f"<details><summary>Draft request</summary><pre>{html_block(i['draft'])}</pre></details>" if i["draft"] else "")
                     + "</li>")
    parts.append("</ol>" if intros else "</ol><p>No new paths this week.</p>")
    if cadence:
        parts += ["<h2>Cadence</h2><ul>", *[f"<li>{e(i['reason'])}</li>" for i in cadence], "</ul>"]
    parts.append("</body></html>")
    return "\n".join(parts)


def weekly_html_name(week: str, rep: dict) -> str:
    """The file name of a rep's page: ``weekly-2026-W50-grace-achterberg.html`` (the name in plain ASCII
    letters, digits and hyphens; never an id, never a character a file system or a mail client minds)."""
    plain = unicodedata.normalize("NFKD", rep.get("name") or "").encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:60] or "rep"
    return f"weekly-{re.sub(r'[^A-Za-z0-9-]', '', week)}-{slug}.html"
