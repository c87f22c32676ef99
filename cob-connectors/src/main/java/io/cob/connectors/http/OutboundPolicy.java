package io.cob.connectors.http;

import io.cob.connectors.ConnectorException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which hosts the http and soap connectors may call: a guard against server-side request forgery,
 * where a URL taken from variables or a redirect points the node at itself, at the cloud's metadata
 * service ({@code 169.254.169.254}) or at services of the private network.
 *
 * <p>A host is refused when any address it resolves to is loopback, link-local, private (RFC 1918,
 * IPv6 unique local), shared (carrier-grade NAT), unspecified, multicast or reserved, IPv4 ones
 * embedded in IPv6 included, unless {@code connectors.http.allowedHosts} allows it: a list of host
 * names ({@code billing.internal}), wildcards ({@code *.internal.example}, any name below it), IP
 * addresses ({@code 127.0.0.1}, {@code ::1}) or ranges ({@code 10.20.0.0/16}). A name allowed by
 * name may resolve to anything; otherwise each internal address must lie in an allowed range.
 * Without the setting, loopback is allowed and nothing else internal ({@link #LOOPBACK_ONLY});
 * {@code allowedHosts: []} refuses loopback too, which a node that runs beside other services on
 * one host should set.
 *
 * <p>The check is on the addresses the name resolves to, not on the text of the URL, and the
 * connection is then made to exactly those addresses ({@link AddressPins}), so a name that resolves
 * elsewhere a moment later (DNS rebinding) gains nothing. Redirects are followed by the connector,
 * each target checked the same way.
 *
 * <p>Immutable and thread-safe.
 */
public final class OutboundPolicy {
  /** The setting under {@code connectors.http}. */
  public static final String SETTING = "allowedHosts";

  /**
   * Without {@code allowedHosts}: the node's own host (loopback) only, where the embedded default,
   * the demo and developers' services listen. {@code allowedHosts: []} allows nothing internal.
   */
  public static final OutboundPolicy LOOPBACK_ONLY =
      new OutboundPolicy(
          List.of("localhost"),
          List.of(),
          List.of(Range.parse("127.0.0.0/8", "allowed"), Range.parse("::1/128", "allowed")));

  private static final List<Range> INTERNAL =
      List.of(
          Range.parse("0.0.0.0/8", "an unspecified"),
          Range.parse("10.0.0.0/8", "a private"),
          Range.parse("100.64.0.0/10", "a shared (carrier-grade NAT)"),
          Range.parse("127.0.0.0/8", "a loopback"),
          Range.parse("169.254.0.0/16", "a link-local (cloud metadata)"),
          Range.parse("172.16.0.0/12", "a private"),
          Range.parse("192.0.0.0/24", "a reserved"),
          Range.parse("192.168.0.0/16", "a private"),
          Range.parse("198.18.0.0/15", "a reserved"),
          Range.parse("224.0.0.0/4", "a multicast"),
          Range.parse("240.0.0.0/4", "a reserved"),
          Range.parse("::/128", "an unspecified"),
          Range.parse("::1/128", "a loopback"),
          Range.parse("fc00::/7", "a private (unique local)"),
          Range.parse("fe80::/10", "a link-local"),
          Range.parse("fec0::/10", "a site-local"),
          Range.parse("ff00::/8", "a multicast"));

  private final List<String> names;
  private final List<String> suffixes;
  private final List<Range> ranges;

  private OutboundPolicy(List<String> names, List<String> suffixes, List<Range> ranges) {
    this.names = names;
    this.suffixes = suffixes;
    this.ranges = ranges;
  }

  /**
   * The policy of {@code connectors.http} settings: {@link #LOOPBACK_ONLY} when they have no
   * {@value #SETTING}.
   *
   * @throws ConnectorException (misconfigured) naming an entry that is neither a name nor an
   *     address or range
   */
  public static OutboundPolicy of(Map<String, Object> httpSettings) {
    Object raw = httpSettings.get(SETTING);
    if (raw == null) {
      return LOOPBACK_ONLY;
    }
    List<?> entries = raw instanceof List<?> l ? l : List.of(raw);
    List<String> names = new ArrayList<>();
    List<String> suffixes = new ArrayList<>();
    List<Range> ranges = new ArrayList<>();
    for (Object e : entries) {
      String entry = String.valueOf(e).strip().toLowerCase(Locale.ROOT);
      if (entry.startsWith("*.") && entry.length() > 2) {
        suffixes.add(entry.substring(1));
      } else if (Range.looksNumeric(entry)) {
        try {
          ranges.add(Range.parse(entry, "allowed"));
        } catch (IllegalArgumentException ex) {
          throw ConnectorException.misconfigured(
              "node setting connectors.http." + SETTING + ": " + ex.getMessage());
        }
      } else if (entry.matches("[a-z0-9_]([a-z0-9_.-]*[a-z0-9_])?")) {
        names.add(entry);
      } else {
        throw ConnectorException.misconfigured(
            "node setting connectors.http."
                + SETTING
                + ": '"
                + e
                + "' is neither a host name, a *.domain wildcard, an IP address nor a range");
      }
    }
    return new OutboundPolicy(List.copyOf(names), List.copyOf(suffixes), List.copyOf(ranges));
  }

  /**
   * Resolves the host of {@code uri} and checks every address it has.
   *
   * @param setting the setting the URL comes from, for the message ({@code url}, {@code tokenUrl},
   *     a redirect ...)
   * @return the addresses to connect to, never empty
   * @throws ConnectorException misconfigured when the host is refused; transient when it cannot be
   *     resolved
   */
  public List<InetAddress> resolve(URI uri, String setting) {
    String host = uri.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(host);
    } catch (UnknownHostException e) {
      throw ConnectorException.transientFailure(
          setting + ": the host '" + host + "' cannot be resolved", e);
    }
    if (allowsName(host.toLowerCase(Locale.ROOT))) {
      return List.of(addresses);
    }
    for (InetAddress a : addresses) {
      String kind = internalKind(a);
      if (kind != null && ranges.stream().noneMatch(r -> r.contains(a))) {
        throw ConnectorException.misconfigured(
            setting
                + ": the host '"
                + host
                + "' resolves to "
                + a.getHostAddress()
                + ", "
                + kind
                + " address; calls to loopback, link-local, private and reserved addresses are"
                + " refused unless connectors.http."
                + SETTING
                + " in cob.yaml allows the host");
      }
    }
    return List.of(addresses);
  }

  private boolean allowsName(String host) {
    return names.contains(host) || suffixes.stream().anyMatch(host::endsWith);
  }

  /** What kind of internal address {@code a} is ("a loopback"), or {@code null} when public. */
  static String internalKind(InetAddress a) {
    for (Range r : INTERNAL) {
      if (r.contains(a)) {
        return r.kind();
      }
    }
    if (a instanceof Inet6Address v6) {
      InetAddress embedded = embeddedIpv4(v6.getAddress());
      if (embedded != null) {
        String kind = internalKind(embedded);
        return kind == null ? null : kind + " (embedded in " + a.getHostAddress() + ")";
      }
    }
    return null;
  }

  /**
   * The IPv4 address inside an IPv4-compatible ({@code ::a.b.c.d}), NAT64 ({@code
   * 64:ff9b::a.b.c.d}) or 6to4 ({@code 2002:aabb:ccdd::}) address; IPv4-mapped ones the JDK turns
   * into IPv4 itself.
   */
  private static InetAddress embeddedIpv4(byte[] b) {
    byte[] v4 = null;
    if (allZero(b, 0, 12)) {
      v4 = Arrays.copyOfRange(b, 12, 16);
    } else if (b[0] == 0
        && b[1] == 0x64
        && b[2] == (byte) 0xff
        && b[3] == (byte) 0x9b
        && allZero(b, 4, 12)) {
      v4 = Arrays.copyOfRange(b, 12, 16);
    } else if (b[0] == 0x20 && b[1] == 0x02) {
      v4 = Arrays.copyOfRange(b, 2, 6);
    }
    if (v4 == null) {
      return null;
    }
    try {
      return Inet4Address.getByAddress(v4);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("four bytes are always an IPv4 address", e);
    }
  }

  private static boolean allZero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  /** A range of addresses, {@code network/prefix}; a single address is a full-length prefix. */
  record Range(byte[] network, int prefix, String kind) {
    static boolean looksNumeric(String s) {
      return s.matches("[0-9.]+(/\\d+)?") || (s.contains(":") && s.matches("[0-9a-f:.]+(/\\d+)?"));
    }

    static Range parse(String text, String kind) {
      int slash = text.indexOf('/');
      String address = slash < 0 ? text : text.substring(0, slash);
      byte[] bytes;
      try {
        // Only literals get here (looksNumeric), so no name is looked up.
        bytes = InetAddress.getByName(address).getAddress();
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("'" + text + "' is not an IP address or range", e);
      }
      int prefix = bytes.length * 8;
      if (slash >= 0) {
        prefix = Integer.parseInt(text.substring(slash + 1));
        if (prefix > bytes.length * 8) {
          throw new IllegalArgumentException("'" + text + "' has a prefix longer than its address");
        }
      }
      return new Range(bytes, prefix, kind);
    }

    boolean contains(InetAddress a) {
      byte[] b = a.getAddress();
      if (b.length != network.length) {
        return false;
      }
      int full = prefix / 8;
      for (int i = 0; i < full; i++) {
        if (b[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (b[full] & mask) == (network[full] & mask);
    }
  }
}
