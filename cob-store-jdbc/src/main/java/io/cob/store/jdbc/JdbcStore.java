package io.cob.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.cob.engine.event.EventRecord;
import io.cob.engine.port.IndexChange;
import io.cob.engine.port.InstanceCommit;
import io.cob.engine.port.Store;
import io.cob.engine.port.StoreException;
import io.cob.engine.port.StoreRows.BufferedMessage;
import io.cob.engine.port.StoreRows.DeploymentResult;
import io.cob.engine.port.StoreRows.IncidentRow;
import io.cob.engine.port.StoreRows.InstanceQuery;
import io.cob.engine.port.StoreRows.InstanceSummary;
import io.cob.engine.port.StoreRows.JobLockRequest;
import io.cob.engine.port.StoreRows.JobRow;
import io.cob.engine.port.StoreRows.NewDeployment;
import io.cob.engine.port.StoreRows.OutboxRow;
import io.cob.engine.port.StoreRows.ProcessVersion;
import io.cob.engine.port.StoreRows.SubscriptionRow;
import io.cob.engine.port.StoreRows.TimerRow;
import io.cob.engine.port.StoreRows.UserTaskQuery;
import io.cob.engine.port.StoreRows.UserTaskRow;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.locks.ReentrantLock;
import org.flywaydb.core.api.FlywayException;

/**
 * The {@link Store} on a relational database: H2 (a file, or memory) or PostgreSQL, chosen by the
 * JDBC URL. Opening a store connects a HikariCP pool and brings the schema up to date with Flyway.
 *
 * <p><b>Transactions.</b> Every write ({@link #deploy}, {@link #commit}, {@link #lockJobs}, {@link
 * #apply}, {@link #deleteExpiredMessages}) is one transaction at READ COMMITTED, committed before
 * the method returns and rolled back entirely when it fails. Reads run in auto-commit mode and see
 * the latest committed data.
 *
 * <p><b>Threads.</b> Thread-safe: each call borrows its own pooled connection, so at most {@code
 * poolSize} calls touch the database at once and further ones wait for a connection.
 *
 * <p><b>Values.</b> Snapshots, events, variables and commands are JSON ({@link JsonCodec}): whole
 * numbers come back as {@code Long}, fractions as {@code BigDecimal}. Instants are kept to the
 * microsecond.
 *
 * <p><b>Errors.</b> A database failure is a {@link StoreException} whose message names the
 * operation; a refused optimistic commit is an {@link io.cob.engine.port.StaleInstanceException}.
 */
public final class JdbcStore implements Store {
  /** The pool size of {@link #open(String)}. */
  public static final int DEFAULT_POOL_SIZE = 10;

  private final HikariDataSource pool;
  private final Connection memoryKeeper;
  private final Dialect dialect;
  private final Database db;
  private final DeploymentTable deployments;
  private final InstanceTable instances;
  private final EventTable events;
  private final JobTable jobs;
  private final TimerTable timers;
  private final SubscriptionTable subscriptions;
  private final BufferedMessageTable messages;
  private final UserTaskTable userTasks;
  private final IncidentTable incidents;
  private final OutboxTable outbox;
  private final InboxTable inbox;
  private final IndexWriter indexWriter;
  private final CommitWriter commitWriter;
  private final JdbcBlobStore blobs;

  /** Serialises this store's job lockers on H2, which has no usable SKIP LOCKED (see JobTable). */
  private final ReentrantLock h2JobLockers = new ReentrantLock();

  private JdbcStore(HikariDataSource pool, Connection memoryKeeper, Dialect dialect) {
    this.pool = pool;
    this.memoryKeeper = memoryKeeper;
    this.dialect = dialect;
    this.db = new Database(pool);
    JsonCodec codec = new JsonCodec();
    this.deployments = new DeploymentTable(codec);
    this.instances = new InstanceTable(dialect, codec);
    this.events = new EventTable(dialect, codec);
    this.jobs = new JobTable(dialect, codec);
    this.timers = new TimerTable(dialect, codec);
    this.subscriptions = new SubscriptionTable(dialect, codec);
    this.messages = new BufferedMessageTable(dialect, codec);
    this.userTasks = new UserTaskTable(dialect, codec);
    this.incidents = new IncidentTable(dialect, codec);
    this.outbox = new OutboxTable(dialect, codec);
    this.inbox = new InboxTable(dialect, codec);
    this.indexWriter =
        new IndexWriter(jobs, timers, subscriptions, userTasks, incidents, messages, outbox);
    this.commitWriter = new CommitWriter(instances, events, indexWriter);
    this.blobs = new JdbcBlobStore(db);
  }

  /**
   * Opens a store with the URL's own credentials (or none) and {@value #DEFAULT_POOL_SIZE}
   * connections.
   *
   * @see #open(String, String, String, int)
   */
  public static JdbcStore open(String jdbcUrl) {
    return open(jdbcUrl, null, null, DEFAULT_POOL_SIZE);
  }

  /**
   * Opens a store: connects, and creates or migrates the schema.
   *
   * <ul>
   *   <li>{@code jdbc:h2:file:PATH} (or {@code jdbc:h2:PATH}): an embedded database in a file, for
   *       one process at a time;
   *   <li>{@code jdbc:h2:mem:NAME}: in memory, gone when the store is closed;
   *   <li>{@code jdbc:postgresql://HOST/DB}: with {@code ?currentSchema=NAME} the tables live in
   *       that schema, created when missing.
   * </ul>
   *
   * @param user the user, or {@code null} for the URL's
   * @param password the password, or {@code null} for the URL's
   * @param poolSize how many connections at most
   * @throws IllegalArgumentException for a URL of another database, or a pool size below 1
   * @throws StoreException when the database cannot be reached or migrated
   */
  public static JdbcStore open(String jdbcUrl, String user, String password, int poolSize) {
    Dialect dialect = Dialect.of(jdbcUrl);
    if (poolSize < 1) {
      throw new IllegalArgumentException("pool size must be at least 1: " + poolSize);
    }
    String url = dialect == Dialect.H2 ? JdbcUrls.forH2Pool(jdbcUrl) : jdbcUrl;
    Optional<String> schema =
        dialect == Dialect.POSTGRESQL ? JdbcUrls.currentSchema(jdbcUrl) : Optional.empty();
    Connection keeper = keepMemoryDatabase(url, user, password);
    HikariDataSource pool = null;
    try {
      pool = connect(url, dialect, user, password, poolSize);
      schema.ifPresent(new SchemaCreator(pool)::create);
      migrate(pool, dialect, schema, jdbcUrl);
      return new JdbcStore(pool, keeper, dialect);
    } catch (RuntimeException e) {
      if (pool != null) {
        pool.close();
      }
      closeQuietly(keeper);
      if (e instanceof StoreException) {
        throw e;
      }
      throw new StoreException(
          "cannot open a store on " + JdbcUrls.redact(jdbcUrl) + ": " + rootMessage(e), e);
    }
  }

  /**
   * An H2 in-memory database lives while a connection to it is open. The pool may close all of its
   * connections (maximum lifetime), so one connection outside the pool holds the database until the
   * store is closed; then it goes, as in-memory data should.
   */
  private static Connection keepMemoryDatabase(String url, String user, String password) {
    if (!JdbcUrls.isH2Memory(url)) {
      return null;
    }
    try {
      return DriverManager.getConnection(
          url, user == null ? "" : user, password == null ? "" : password);
    } catch (SQLException e) {
      throw new StoreException(
          "cannot connect to " + JdbcUrls.redact(url) + ": " + Database.describe(e), e);
    }
  }

  private static HikariDataSource connect(
      String url, Dialect dialect, String user, String password, int size) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    if (dialect == Dialect.POSTGRESQL) {
      // The driver then sends a batch of inserts (the events of a group commit, index rows) as
      // multi-row INSERTs rather than one statement per row. Only the instance inserts and
      // updates read their update counts, and the driver does not rewrite those (INSERT ...
      // SELECT, UPDATE). A setting of the same name in the URL takes precedence.
      config.addDataSourceProperty("reWriteBatchedInserts", "true");
    }
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(size);
    config.setPoolName("cob-store");
    config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    // Fail at open, not at first use, when the database cannot be reached.
    config.setInitializationFailTimeout(1);
    try {
      return new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new StoreException(
          "cannot connect to " + JdbcUrls.redact(url) + ": " + rootMessage(e), e);
    }
  }

  private static void migrate(
      HikariDataSource pool, Dialect dialect, Optional<String> schema, String jdbcUrl) {
    try {
      Migrations.migrate(pool, dialect, schema);
    } catch (FlywayException e) {
      throw new StoreException(
          "cannot migrate the schema of " + JdbcUrls.redact(jdbcUrl) + ": " + rootMessage(e), e);
    }
  }

  /** Creates a PostgreSQL schema if it is missing, before Flyway looks for it. */
  private record SchemaCreator(HikariDataSource pool) {
    void create(String schema) {
      try (Connection c = pool.getConnection();
          Statement s = c.createStatement()) {
        s.execute("CREATE SCHEMA IF NOT EXISTS \"" + schema.replace("\"", "\"\"") + "\"");
      } catch (SQLException e) {
        throw Database.failed("create schema " + schema, e);
      }
    }
  }

  // ---- deployments

  @Override
  public DeploymentResult deploy(NewDeployment deployment) {
    return db.transaction(
        "deploy " + deployment.deploymentId(), c -> deployments.deploy(c, deployment));
  }

  @Override
  public List<ProcessVersion> processes() {
    return db.read("list processes", deployments::all);
  }

  @Override
  public Optional<ProcessVersion> latestProcess(String processId) {
    return db.read("read latest process " + processId, c -> deployments.latest(c, processId));
  }

  @Override
  public Optional<ProcessVersion> process(String processId, int version) {
    return db.read(
        "read process " + processId + ":" + version,
        c -> deployments.version(c, processId, version));
  }

  @Override
  public void importProcess(ProcessVersion version, String xml) {
    db.transaction(
        "import process " + version.processId() + ":" + version.version(),
        c -> {
          deployments.importVersion(c, version, xml);
          return null;
        });
  }

  @Override
  public Optional<String> processXml(String processId, int version) {
    return db.read(
        "read process XML " + processId + ":" + version,
        c -> deployments.xml(c, processId, version));
  }

  // ---- instances

  @Override
  public Optional<StoredInstance> instance(String instanceId) {
    return db.read("read instance " + instanceId, c -> instances.byId(c, instanceId));
  }

  @Override
  public List<InstanceSummary> instances(InstanceQuery query) {
    return db.read("query instances", c -> instances.find(c, query));
  }

  @Override
  public SortedMap<String, Long> runningInstancesByOwner() {
    return db.read("count running instances", instances::runningByOwner);
  }

  @Override
  public List<EventRecord> history(String instanceId) {
    return db.read("read history of " + instanceId, c -> events.history(c, instanceId));
  }

  @Override
  public void commit(List<InstanceCommit> batch) {
    if (batch.isEmpty()) {
      return;
    }
    db.transaction(
        "commit of " + batch.size() + " instance(s)",
        c -> {
          commitWriter.write(c, batch);
          return null;
        });
  }

  // ---- waiting work

  @Override
  public List<JobRow> lockJobs(JobLockRequest request) {
    if (dialect == Dialect.POSTGRESQL) {
      return db.transaction("lock jobs", c -> jobs.lock(c, request));
    }
    // Held until the transaction has committed, so the next locker sees these jobs locked.
    h2JobLockers.lock();
    try {
      return db.transaction("lock jobs", c -> jobs.lock(c, request));
    } finally {
      h2JobLockers.unlock();
    }
  }

  @Override
  public String sharedSecret(String name, java.util.function.Supplier<String> fresh) {
    return db.transaction(
        "read shared secret " + name,
        c -> {
          String insert =
              dialect == Dialect.POSTGRESQL
                  ? "INSERT INTO shared_secrets (name, secret, created_at) VALUES (?, ?, ?)"
                      + " ON CONFLICT (name) DO NOTHING"
                  : "MERGE INTO shared_secrets t USING (VALUES (CAST(? AS VARCHAR),"
                      + " CAST(? AS VARCHAR), CAST(? AS TIMESTAMP(6) WITH TIME ZONE)))"
                      + " s(name, secret, created_at) ON t.name = s.name"
                      + " WHEN NOT MATCHED THEN INSERT VALUES (s.name, s.secret, s.created_at)";
          try (java.sql.PreparedStatement ps = c.prepareStatement(insert)) {
            ps.setString(1, name);
            ps.setString(2, fresh.get());
            ps.setObject(3, java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC));
            ps.executeUpdate();
          }
          try (java.sql.PreparedStatement ps =
              c.prepareStatement("SELECT secret FROM shared_secrets WHERE name = ?")) {
            ps.setString(1, name);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
              rs.next();
              return rs.getString(1);
            }
          }
        });
  }

  @Override
  public boolean extendJobLock(String jobKey, String owner, Instant until) {
    return db.transaction(
        "extend the lock of job " + jobKey, c -> jobs.extendLock(c, jobKey, owner, until));
  }

  @Override
  public int releaseLocks(String owner) {
    return db.transaction(
        "release locks of " + owner, c -> jobs.release(c, owner) + timers.release(c, owner));
  }

  @Override
  public List<TimerRow> lockTimers(io.cob.engine.port.StoreRows.TimerLockRequest request) {
    if (dialect == Dialect.POSTGRESQL) {
      return db.transaction("lock timers", c -> timers.lock(c, request));
    }
    // Held until the transaction has committed, so the next locker sees these timers locked.
    h2JobLockers.lock();
    try {
      return db.transaction("lock timers", c -> timers.lock(c, request));
    } finally {
      h2JobLockers.unlock();
    }
  }

  @Override
  public Optional<JobRow> job(String jobKey) {
    return db.read("read job " + jobKey, c -> jobs.byKey(c, jobKey));
  }

  @Override
  public List<JobRow> jobs(String instanceId) {
    return db.read("read jobs of " + instanceId, c -> jobs.byInstance(c, instanceId));
  }

  @Override
  public List<TimerRow> dueTimers(Instant until, int max) {
    return db.read("read due timers", c -> timers.due(c, until, max));
  }

  @Override
  public Optional<Instant> nextTimerDue() {
    return db.read("read next timer due", timers::nextDue);
  }

  @Override
  public List<SubscriptionRow> subscriptions(String messageName, String correlationKey) {
    return db.read(
        "read subscriptions to " + messageName,
        c -> subscriptions.find(c, messageName, correlationKey));
  }

  @Override
  public List<BufferedMessage> bufferedMessages(String name, String correlationKey, Instant now) {
    return db.read(
        "read buffered messages " + name, c -> messages.find(c, name, correlationKey, now));
  }

  @Override
  public int deleteExpiredMessages(Instant now) {
    return db.transaction("delete expired messages", c -> messages.deleteExpired(c, now));
  }

  @Override
  public boolean receiveOnce(String messageId, Instant at) {
    return db.transaction(
        "record bus message " + messageId + " in the inbox", c -> inbox.receive(c, messageId, at));
  }

  @Override
  public int purgeInbox(Instant before) {
    return db.transaction("purge the inbox", c -> inbox.purge(c, before));
  }

  @Override
  public List<UserTaskRow> userTasks(UserTaskQuery query) {
    return db.read("query user tasks", c -> userTasks.find(c, query));
  }

  @Override
  public Optional<UserTaskRow> userTask(String key) {
    return db.read("read user task " + key, c -> userTasks.byKey(c, key));
  }

  @Override
  public List<IncidentRow> incidents(String instanceId) {
    return db.read("read incidents", c -> incidents.find(c, instanceId));
  }

  @Override
  public List<OutboxRow> outbox(int max) {
    return db.read("read outbox", c -> outbox.oldest(c, max));
  }

  @Override
  public void apply(List<IndexChange> changes) {
    if (changes.isEmpty()) {
      return;
    }
    db.transaction(
        "apply " + changes.size() + " index change(s)",
        c -> {
          indexWriter.write(c, changes);
          return null;
        });
  }

  /**
   * The blobs kept in this store's database, on the same pool (one instance per store; closed with
   * the store).
   */
  public JdbcBlobStore blobs() {
    return blobs;
  }

  /** Closes the pool; an in-memory H2 database is gone afterwards. Idempotent. */
  @Override
  public void close() {
    pool.close();
    closeQuietly(memoryKeeper);
  }

  /** Which database this store runs on. */
  Dialect dialect() {
    return dialect;
  }

  /** The pool, for tests that look at the tables directly. */
  HikariDataSource dataSource() {
    return pool;
  }

  private static void closeQuietly(Connection connection) {
    if (connection == null) {
      return;
    }
    try {
      connection.close();
    } catch (SQLException e) {
      // Closing a connection to an in-memory database: nothing is left to lose.
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return message == null ? root.getClass().getSimpleName() : message;
  }
}
