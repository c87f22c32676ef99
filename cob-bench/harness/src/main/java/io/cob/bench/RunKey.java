package io.cob.bench;

/**
 * One engine run: an engine on a database with a workload and a number of client threads (0 for the
 * open-loop latency workload, whose arrivals are not clients), and for FAILOVER the replication
 * mode ({@code variant}; null for the other workloads).
 */
record RunKey(Db db, Workload workload, int threads, Vendor vendor, String variant) {
  RunKey(Db db, Workload workload, int threads, Vendor vendor) {
    this(db, workload, threads, vendor, null);
  }

  /** The row of the report this run belongs to (all engines of a row ran back to back). */
  RunKey row() {
    return new RunKey(db, workload, threads, null, variant);
  }

  String label() {
    return workload
        + "-"
        + db.id()
        + (threads > 0 ? "-t" + threads : "")
        + (variant == null ? "" : "-" + variant)
        + (vendor == null ? "" : "-" + vendor.id());
  }
}
