#!/usr/bin/python3
# bi_odbc.py: reads every view for BI tools through psqlODBC (Debian odbc-postgresql, driver
# "PostgreSQL Unicode", with unixodbc and python3-pyodbc) as a login role over TCP, and checks
# what a BI tool gets: counts as integers (never Decimal), codes and names as text, no column
# sized as an unknown type (a custom type or jsonb arrives as VARCHAR(255)), Chinese text
# intact, local-time columns equal to the moment in Asia/Shanghai, the rows of the role's scope.
# Usage: bi_odbc.py PORT DATABASE USER EXPECTED_COUNTY_OR_ALL VIEW=ROWS,... (the rows the role
# must read of each view). Prints "N passed, N failed".
import datetime
import decimal
import re
import sys

import pyodbc

port, database, user, county = sys.argv[1:5]
want = {kv.split("=")[0]: int(kv.split("=")[1]) for kv in sys.argv[5].split(",")}
passed = failed = 0


def check(what, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
    print(("  ok   " if ok else "  FAIL ") + what + ("" if ok else ": " + detail))


COUNTS = re.compile(r"^(projects|workers|payments|roster|attendees|live|overdue|awaiting)")
conn = pyodbc.connect("DRIVER={PostgreSQL Unicode};SERVER=127.0.0.1;PORT=%s;DATABASE=%s;UID=%s" % (port, database, user))
conn.setdecoding(pyodbc.SQL_WCHAR, encoding="utf-16le")
cur = conn.cursor()
for view in ("project_month_indicators", "county_month_indicators", "city_month_indicators",
             "sector_month_indicators", "funding_month_indicators", "supervision_ledger", "alert_board"):
    cur.execute("SELECT * FROM wagecheck." + view)
    cols = [d[0] for d in cur.description]
    rows = cur.fetchall()
    bad = set()
    for d in cur.description:
        name, pytype, size = d[0], d[1], d[3]
        if COUNTS.match(name) and pytype is not int:
            bad.add("%s is %s" % (name, pytype.__name__))
        if pytype is str and size == 255:
            bad.add("%s is sized as an unknown type (255)" % name)
        if name in ("county", "city", "division") and pytype is not str:
            bad.add("%s is %s" % (name, pytype.__name__))
    check("%s: %d rows, plain column types" % (view, len(rows)), rows and not bad,
          "no rows" if not rows else "; ".join(sorted(bad)))
    check("%s: %d rows as expected" % (view, len(rows)), len(rows) == want.get(view),
          "%d rows, %s expected" % (len(rows), want.get(view)))
    if county != "all" and "county" in cols:
        seen = sorted({r[cols.index("county")] for r in rows})
        check("%s: only county %s" % (view, county), seen == [county], str(seen))
cur.execute("SELECT DISTINCT county, county_name FROM wagecheck.county_month_indicators ORDER BY 1")
names = dict(cur.fetchall())
want = {"371302": "兰山区", "371311": "罗庄区"}
check("county names in Chinese %s" % names, names and all(want.get(k) == v for k, v in names.items()), str(names))
cur.execute("SELECT opened_at_local, to_char(opened_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI:SS.US'), state_zh"
            " FROM wagecheck.supervision_ledger")
rows = cur.fetchall()
ok = bool(rows)
for local, want_text, state in rows:
    ok &= isinstance(local, datetime.datetime) and local.tzinfo is None \
        and local == datetime.datetime.strptime(want_text, "%Y-%m-%d %H:%M:%S.%f")
    ok &= bool(re.fullmatch(r"[\u4e00-\u9fff]+", state or ""))
check("ledger: %d local times in Asia/Shanghai, states in Chinese" % len(rows), ok, str(rows[:1]))
print("%d passed, %d failed" % (passed, failed))
sys.exit(0 if failed == 0 else 1)
