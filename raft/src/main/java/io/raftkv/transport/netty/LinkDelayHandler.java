package io.raftkv.transport.netty;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import java.time.Duration;

/**
 * Emulates a one-way network delay: every outbound write and flush is passed on after {@code
 * delay}, timed by the JVM's {@link DelayLine} and then run on the channel's event loop. Writes and
 * flushes are delayed alike and keep their order, so frames keep their order and a flush still
 * follows the writes it covers.
 *
 * <p>One instance per channel; its methods run on that channel's event loop.
 */
public final class LinkDelayHandler extends ChannelOutboundHandlerAdapter {
  private final long delayNanos;

  /** A handler that delays every outbound write and flush by {@code delay}. */
  public LinkDelayHandler(Duration delay) {
    this.delayNanos = delay.toNanos();
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    DelayLine.shared()
        .submit(
            System.nanoTime() + delayNanos,
            ctx.executor(),
            () -> {
              ChannelFuture unusedWrite = ctx.write(msg, promise);
            });
  }

  @Override
  public void flush(ChannelHandlerContext ctx) {
    DelayLine.shared().submit(System.nanoTime() + delayNanos, ctx.executor(), ctx::flush);
  }
}
