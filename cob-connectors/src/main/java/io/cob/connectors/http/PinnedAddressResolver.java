package io.cob.connectors.http;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.List;
import java.util.stream.Stream;

/**
 * The JVM's name resolver with {@link AddressPins} in front: a pinned name resolves to its pinned
 * addresses, every other lookup goes to the JDK's built-in resolver unchanged. Installed through
 * {@code META-INF/services/java.net.spi.InetAddressResolverProvider}, which the JDK reads once, at
 * the first name lookup.
 */
public final class PinnedAddressResolver extends InetAddressResolverProvider {
  @Override
  public InetAddressResolver get(Configuration configuration) {
    InetAddressResolver builtin = configuration.builtinResolver();
    return new InetAddressResolver() {
      @Override
      public Stream<InetAddress> lookupByName(String host, LookupPolicy policy)
          throws UnknownHostException {
        List<InetAddress> pinned = AddressPins.pinned(host);
        if (pinned == null) {
          return builtin.lookupByName(host, policy);
        }
        int c = policy.characteristics();
        boolean v4 = (c & LookupPolicy.IPV4) != 0;
        boolean v6 = (c & LookupPolicy.IPV6) != 0;
        List<InetAddress> fitting =
            pinned.stream()
                .filter(a -> (v4 && a instanceof Inet4Address) || (v6 && a instanceof Inet6Address))
                .toList();
        if (fitting.isEmpty()) {
          throw new UnknownHostException(host + " (pinned to addresses of another family)");
        }
        return fitting.stream();
      }

      @Override
      public String lookupByAddress(byte[] addr) throws UnknownHostException {
        return builtin.lookupByAddress(addr);
      }
    };
  }

  @Override
  public String name() {
    return "cob-pinned-addresses";
  }
}
