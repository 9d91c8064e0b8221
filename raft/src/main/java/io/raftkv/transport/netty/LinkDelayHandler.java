package io.raftkv.transport.netty;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Emulates a one-way network delay: every outbound write and flush is passed on after {@code
 * delay}, scheduled on the channel's event loop. Tasks with the same delay run in the order they
 * were scheduled, so frames keep their order and a flush still follows the writes it covers.
 *
 * <p>One instance per channel; runs on that channel's event loop.
 */
public final class LinkDelayHandler extends ChannelOutboundHandlerAdapter {
  private final long delayNanos;

  /** A handler that delays every outbound write and flush by {@code delay}. */
  public LinkDelayHandler(Duration delay) {
    this.delayNanos = delay.toNanos();
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    ScheduledFuture<?> unusedTask =
        ctx.executor()
            .schedule(
                () -> {
                  ChannelFuture unusedWrite = ctx.write(msg, promise);
                },
                delayNanos,
                TimeUnit.NANOSECONDS);
  }

  @Override
  public void flush(ChannelHandlerContext ctx) {
    ScheduledFuture<?> unusedTask =
        ctx.executor()
            .schedule(
                () -> {
                  ctx.flush();
                },
                delayNanos,
                TimeUnit.NANOSECONDS);
  }
}
