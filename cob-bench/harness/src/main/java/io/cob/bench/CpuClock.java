package io.cob.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of this JVM and of the whole machine, to tell how much of the machine a repetition had:
 * the machine is shared, and what other processes used during a run decides how much its numbers
 * say. Machine time comes from /proc/stat (Linux); elsewhere it is unknown (-1).
 */
public final class CpuClock {
  /** Clock ticks per second of /proc/stat; 100 on every common Linux build. */
  private static final double TICKS_PER_MS = 100 / 1000.0;

  private CpuClock() {}

  /** CPU time this JVM has used, in ms. */
  public static double jvmMs() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime() / 1e6;
    }
    return -1;
  }

  /** CPU time all processes of the machine have used (not idle, not waiting for I/O), in ms. */
  public static double machineBusyMs() {
    try {
      String first = Files.readAllLines(Path.of("/proc/stat")).get(0);
      String[] f = first.trim().split("\\s+");
      // cpu user nice system idle iowait irq softirq steal ...
      long busy = 0;
      for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
        busy += Long.parseLong(f[i]);
      }
      return busy / TICKS_PER_MS;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
