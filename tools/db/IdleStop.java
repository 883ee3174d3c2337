import de.bwaldvogel.mongo.MongoServer;
import io.netty.channel.group.ChannelGroup;

import java.lang.reflect.Field;

/**
 * Stops the embedded server once no client has been connected for a while (--idle-minutes), so
 * servers left behind by commands run in many data directories do not pile up. Any command starts
 * the server again. Clients are the server's open connections (its Netty channel group, read
 * reflectively: mongo-java-server does not expose it); when that cannot be read, the server keeps
 * running as before.
 */
final class IdleStop {
  private IdleStop() {}

  static void start(MongoServer server, double minutes) {
    if (!(minutes > 0)) return;
    ChannelGroup clients = clientsOf(server);
    if (clients == null) {
      System.out.println("tideflow-db: cannot see client connections; not stopping when idle");
      return;
    }
    long idleMs = (long) (minutes * 60_000);
    long pollMs = Math.max(50, Math.min(1000, idleMs / 10));
    Thread watch = new Thread(() -> {
      long idleSince = System.nanoTime();
      for (;;) {
        try {
          Thread.sleep(pollMs);
        } catch (InterruptedException e) {
          return;
        }
        if (!clients.isEmpty()) idleSince = System.nanoTime();
        else if ((System.nanoTime() - idleSince) / 1_000_000 >= idleMs) {
          System.out.println("tideflow-db: no client for " + minutes + " minutes, stopping");
          System.exit(0);
        }
      }
    }, "tideflow-idle-stop");
    watch.setDaemon(true);
    watch.start();
  }

  private static ChannelGroup clientsOf(MongoServer server) {
    try {
      Field f = MongoServer.class.getDeclaredField("channelGroup");
      f.setAccessible(true);
      return (ChannelGroup) f.get(server);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
