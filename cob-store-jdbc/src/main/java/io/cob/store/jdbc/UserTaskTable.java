package io.cob.store.jdbc;

import io.cob.engine.port.StoreRows.UserTaskQuery;
import io.cob.engine.port.StoreRows.UserTaskRow;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code user_tasks} table. Candidate groups and users are SQL arrays, so that "tasks a group
 * may take" is a plain {@code ? = ANY(candidate_groups)} in both databases.
 */
final class UserTaskTable {
  private final RowTable<UserTaskRow> rows;

  UserTaskTable(Dialect dialect, JsonCodec codec) {
    rows =
        new RowTable<>(
            dialect,
            codec,
            "user_tasks",
            List.of(
                "id",
                "instance_id",
                "task_key",
                "element_instance_key",
                "process_id",
                "element_id",
                "name",
                "assignee",
                "candidate_groups",
                "candidate_users",
                "form_key",
                "due_date",
                "created_at"),
            List.of(),
            (p, t) ->
                p.string(t.key())
                    .string(t.instanceId())
                    .longValue(t.taskKey())
                    .longValue(t.elementInstanceKey())
                    .string(t.processId())
                    .string(t.elementId())
                    .string(t.name())
                    .string(t.assignee())
                    .strings(t.candidateGroups())
                    .strings(t.candidateUsers())
                    .string(t.formKey())
                    .instant(t.dueDate())
                    .instant(t.createdAt()),
            rs ->
                new UserTaskRow(
                    rs.getString("id"),
                    rs.getString("instance_id"),
                    rs.getLong("task_key"),
                    rs.getLong("element_instance_key"),
                    rs.getString("process_id"),
                    rs.getString("element_id"),
                    rs.getString("name"),
                    rs.getString("assignee"),
                    Rows.strings(rs, "candidate_groups"),
                    Rows.strings(rs, "candidate_users"),
                    rs.getString("form_key"),
                    Rows.instant(rs, "due_date"),
                    Rows.instant(rs, "created_at")));
  }

  RowTable<UserTaskRow> rows() {
    return rows;
  }

  Optional<UserTaskRow> byKey(Connection c, String key) throws SQLException {
    return rows.byId(c, key);
  }

  /** Tasks matching every non-null filter, by key; a limit of 0 or less means no limit. */
  List<UserTaskRow> find(Connection c, UserTaskQuery q) throws SQLException {
    List<String> conditions = new ArrayList<>();
    List<String> values = new ArrayList<>();
    filter(conditions, values, "instance_id = ?", q.instanceId());
    filter(conditions, values, "process_id = ?", q.processId());
    filter(conditions, values, "assignee = ?", q.assignee());
    filter(conditions, values, "? = ANY(candidate_groups)", q.candidateGroup());
    String where = conditions.isEmpty() ? "" : "WHERE " + String.join(" AND ", conditions);
    String limit = q.limit() > 0 ? " LIMIT " + q.limit() : "";
    return rows.query(
        c,
        rows.select(where + " ORDER BY id" + limit),
        p -> {
          for (String value : values) {
            p.string(value);
          }
        });
  }

  private static void filter(
      List<String> conditions, List<String> values, String condition, String value) {
    if (value != null) {
      conditions.add(condition);
      values.add(value);
    }
  }
}
