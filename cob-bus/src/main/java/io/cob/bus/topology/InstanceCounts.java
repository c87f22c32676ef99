package io.cob.bus.topology;

/**
 * The running instances in the store of a cloud, as one of its nodes counted them and announced
 * them in its heartbeat.
 *
 * @param owned instances not ended that the cloud owns
 * @param standby instances not ended that another cloud owns and this cloud keeps replicas of
 */
public record InstanceCounts(long owned, long standby) {}
