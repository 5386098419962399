// Connect: connects with a pgjdbc URL alone, as make demo prints it (test/tools/cluster.sh
// connect), and prints the role it connected as and the rows of wagecheck.alert_board.
// Usage: java -cp postgresql.jar Connect.java URL
import java.sql.*;

public class Connect {
    public static void main(String[] args) throws Exception {
        try (Connection c = DriverManager.getConnection(args[0]);
             ResultSet r = c.createStatement().executeQuery(
                 "SELECT current_user, (SELECT count(*) FROM wagecheck.alert_board)")) {
            r.next();
            System.out.println(r.getString(1) + " " + r.getLong(2));
        }
    }
}
