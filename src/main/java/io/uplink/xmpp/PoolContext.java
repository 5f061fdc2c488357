package io.uplink.xmpp;

import io.uplink.ccs.CcsCodec;
import io.uplink.config.CcsSettings;
import io.uplink.config.DownstreamSettings;
import io.uplink.downstream.DownstreamOutcomes;
import io.uplink.downstream.ReceiptProcessor;
import io.uplink.downstream.SendRoom;
import io.uplink.stats.GatewayCounters;
import io.uplink.upstream.UpstreamPipeline;
import java.util.concurrent.ScheduledExecutorService;

/** What every connection slot of the pool shares. Immutable; its parts are thread-safe. */
record PoolContext(
    CcsSettings ccs,
    DownstreamSettings downstream,
    TlsSocketFactory sockets,
    ScheduledExecutorService scheduler,
    CcsCodec codec,
    UpstreamPipeline upstream,
    DownstreamOutcomes outcomes,
    ReceiptProcessor receipts,
    GatewayCounters counters,
    SendRoom room) {}
