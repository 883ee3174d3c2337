import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.ServerVersion;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Tideflow's embedded MongoDB-wire server (mongo-java-server).
 *
 * <pre>
 * java TideflowDb --backend memory|h2 [--file db.mv] [--port 0] [--port-file F] [--parent-pid N]
 * </pre>
 *
 * Binds 127.0.0.1 only. With --port 0 the OS picks the port, which is written to --port-file
 * (atomically) once the server accepts connections. With --parent-pid the server exits when that
 * process is gone, so a test run that dies never leaves a server behind.
 */
public final class TideflowDb {
  public static void main(String[] args) throws Exception {
    String backendName = "memory", file = null, portFile = null;
    int port = 0;
    long parentPid = -1;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--backend" -> backendName = args[i + 1];
        case "--file" -> file = args[i + 1];
        case "--port" -> port = Integer.parseInt(args[i + 1]);
        case "--port-file" -> portFile = args[i + 1];
        case "--parent-pid" -> parentPid = Long.parseLong(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    MongoBackend backend = switch (backendName) {
      case "memory" -> new MemoryBackend();
      case "h2" -> {
        if (file == null) throw new IllegalArgumentException("--backend h2 needs --file");
        yield new H2Backend(file);
      }
      default -> throw new IllegalArgumentException("unknown backend " + backendName);
    };
    backend.version(ServerVersion.MONGO_5_0);
    MongoServer server = new MongoServer(backend);
    server.bind("127.0.0.1", port);
    int bound = server.getLocalAddress().getPort();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.shutdownNow();
      backend.close();
    }));
    if (portFile != null) {
      Path target = Path.of(portFile);
      Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
      Files.writeString(tmp, Integer.toString(bound));
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
    System.out.println("tideflow-db listening on 127.0.0.1:" + bound);
    if (parentPid > 0) {
      var parent = ProcessHandle.of(parentPid);
      while (parent.isPresent() && parent.get().isAlive()) Thread.sleep(1000);
      System.exit(0);
    }
    Thread.currentThread().join();
  }
}
