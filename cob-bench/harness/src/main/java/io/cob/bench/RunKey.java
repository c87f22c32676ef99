package io.cob.bench;

/**
 * One engine run: an engine on a database with a workload and a number of client threads (0 for the
 * open-loop latency workload, whose arrivals are not clients).
 */
record RunKey(Db db, Workload workload, int threads, Vendor vendor) {
  /** The row of the report this run belongs to (all engines of a row ran back to back). */
  RunKey row() {
    return new RunKey(db, workload, threads, null);
  }

  String label() {
    return workload
        + "-"
        + db.id()
        + (threads > 0 ? "-t" + threads : "")
        + (vendor == null ? "" : "-" + vendor.id());
  }
}
