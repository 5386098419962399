// BiJdbc: reads every view for BI tools through pgjdbc (Debian libpostgresql-jdbc-java) as
// a login role, over TCP, and checks what a BI tool gets: no PGobject (wagecheck's types,
// jsonb), counts as Long or Integer (never BigDecimal), Chinese text intact, local-time
// columns equal to the moment in Asia/Shanghai, and the rows of the role's scope.
// Usage: java -cp postgresql.jar BiJdbc.java URL USER EXPECTED_COUNTY_OR_ALL VIEW=ROWS,...
// (the rows the role must read of each view).
// Prints one line per check and "N passed, N failed".
import java.sql.*;
import java.time.*;
import java.util.*;

public class BiJdbc {
    static int passed = 0, failed = 0;

    static void check(String what, boolean ok, String detail) {
        if (ok) passed++; else failed++;
        System.out.println((ok ? "  ok   " : "  FAIL ") + what + (ok ? "" : ": " + detail));
    }

    public static void main(String[] args) throws Exception {
        String url = args[0], user = args[1], county = args[2];
        Map<String, Integer> wantRows = new HashMap<>();
        for (String kv : args[3].split(",")) wantRows.put(kv.split("=")[0], Integer.parseInt(kv.split("=")[1]));
        String[] views = {"project_month_indicators", "county_month_indicators", "city_month_indicators",
                          "sector_month_indicators", "funding_month_indicators", "supervision_ledger", "alert_board"};
        try (Connection c = DriverManager.getConnection(url, user, "")) {
            for (String v : views) {
                int rows = 0;
                Set<String> counties = new TreeSet<>();
                List<String> bad = new ArrayList<>();
                try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT * FROM wagecheck." + v)) {
                    ResultSetMetaData m = r.getMetaData();
                    while (r.next()) {
                        rows++;
                        for (int i = 1; i <= m.getColumnCount(); i++) {
                            String name = m.getColumnName(i);
                            Object o = r.getObject(i);
                            if (o == null) continue;
                            String cls = o.getClass().getName();
                            if (cls.startsWith("org.postgresql.util.PG"))
                                bad.add(name + " is " + cls + " (" + m.getColumnTypeName(i) + ")");
                            if (name.matches("^(projects|workers|payments|roster|attendees|live|overdue|awaiting).*")
                                && !(o instanceof Long || o instanceof Integer))
                                bad.add(name + " is " + cls);
                            if (name.equals("county")) counties.add((String) o);
                        }
                    }
                    check(v + ": " + rows + " rows, plain column types", bad.isEmpty() && rows > 0,
                          rows == 0 ? "no rows" : String.join("; ", new TreeSet<>(bad)));
                    check(v + ": " + rows + " rows as expected", wantRows.get(v) != null && rows == wantRows.get(v),
                          rows + " rows, " + wantRows.get(v) + " expected");
                    if (!county.equals("all") && m.getColumnCount() > 0 && hasColumn(m, "county"))
                        check(v + ": only county " + county, counties.equals(Set.of(county)), counties.toString());
                }
            }
            // names in Chinese, as the server stores them
            try (Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT DISTINCT county, county_name FROM wagecheck.county_month_indicators ORDER BY 1")) {
                Map<String, String> names = new TreeMap<>();
                while (r.next()) names.put(r.getString(1), r.getString(2));
                boolean ok = !names.isEmpty();
                for (Map.Entry<String, String> e : names.entrySet())
                    ok &= e.getValue() != null && e.getValue().equals(Map.of("371302", "兰山区", "371311", "罗庄区").get(e.getKey()));
                check("county names in Chinese " + names, ok, names.toString());
            }
            // local times: opened_at_local is the moment in Asia/Shanghai, whatever the JVM's zone
            try (Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT opened_at, opened_at_local, state_zh FROM wagecheck.supervision_ledger")) {
                int n = 0; boolean ok = true; String det = "";
                while (r.next()) {
                    n++;
                    OffsetDateTime at = r.getObject(1, OffsetDateTime.class);
                    LocalDateTime local = r.getObject(2, LocalDateTime.class);
                    LocalDateTime want = at.atZoneSameInstant(ZoneId.of("Asia/Shanghai")).toLocalDateTime();
                    if (!local.equals(want)) { ok = false; det = local + " <> " + want; }
                    if (r.getString(3) == null || !r.getString(3).matches("[\\p{IsHan}]+")) { ok = false; det = "state_zh " + r.getString(3); }
                }
                check("ledger: " + n + " local times in Asia/Shanghai, states in Chinese", ok && n > 0, n == 0 ? "no rows" : det);
            }
        }
        System.out.println(passed + " passed, " + failed + " failed");
        System.exit(failed == 0 ? 0 : 1);
    }

    static boolean hasColumn(ResultSetMetaData m, String col) throws SQLException {
        for (int i = 1; i <= m.getColumnCount(); i++) if (m.getColumnName(i).equals(col)) return true;
        return false;
    }
}
