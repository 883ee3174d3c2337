import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.ServerVersion;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.backend.memory.MemoryCollection;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import de.bwaldvogel.mongo.exception.MongoServerException;
import io.netty.channel.Channel;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Tideflow's embedded MongoDB-wire server (mongo-java-server).
 *
 * <pre>
 * java TideflowDb --backend memory|h2 [--file db.mv] [--durability commit|fsync|none] [--port 0] [--port-file F] [--parent-pid N] [--idle-minutes M]
 * </pre>
 *
 * --durability (h2): `commit` (default) writes every command's changes to the file before the
 * answer leaves, so an acknowledged write survives a kill -9 of this process; `fsync` also forces
 * the file to the disk (survives power loss, much slower); `none` is H2's own background commit,
 * about once a second (loses the last second of writes on kill -9; kept for measurements).
 *
 * Binds 127.0.0.1 only. With --port 0 the OS picks the port, which is written to --port-file
 * (atomically) once the server accepts connections. With --parent-pid the server exits when that
 * process is gone, so a test run that dies never leaves a server behind.
 */
public final class TideflowDb {
  public static void main(String[] args) throws Exception {
    String backendName = "memory", file = null, portFile = null, durability = "commit";
    int port = 0;
    long parentPid = -1;
    double idleMinutes = 0;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--backend" -> backendName = args[i + 1];
        case "--file" -> file = args[i + 1];
        case "--durability" -> durability = args[i + 1];
        case "--port" -> port = Integer.parseInt(args[i + 1]);
        case "--port-file" -> portFile = args[i + 1];
        case "--parent-pid" -> parentPid = Long.parseLong(args[i + 1]);
        case "--idle-minutes" -> idleMinutes = Double.parseDouble(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    MongoBackend backend = switch (backendName) {
      case "memory" -> new Memory();
      case "h2" -> {
        if (file == null) throw new IllegalArgumentException("--backend h2 needs --file");
        yield new H2(file, Durability.parse(durability));
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
    IdleStop.start(server, idleMinutes);
    if (parentPid > 0) {
      var parent = ProcessHandle.of(parentPid);
      while (parent.isPresent() && parent.get().isAlive()) Thread.sleep(1000);
      System.exit(0);
    }
    Thread.currentThread().join();
  }

  /*
   * mongo-java-server 1.47 answers findAndModify with `new: true` (findOneAndUpdate with
   * returnDocument 'after') with a reference to the stored document, which the wire layer encodes
   * after the collection lock is released: a concurrent update of the same document can leak into
   * the answer (two callers of a guarded decrement saw the same balance). MongoDB returns the
   * document exactly as that update left it. The collections below copy the answer under the lock.
   */

  private static Document copyValue(Document result) {
    if (result.get("value") instanceof Document value) result.put("value", value.cloneDeeply());
    return result;
  }

  /*
   * mongo-java-server uses an index only when a query names exactly that index's fields, so a
   * guarded update such as {_id: u, appliedBatches: {$ne: b}} scans the whole collection although
   * _id is unique. For a query that pins _id to one plain value, the collections below look the
   * document up by _id and match the whole query against it: the same answer, without the scan.
   */
  private static <P> Iterable<P> positionsById(Document query, List<Index<P>> indexes) {
    if (query.size() < 2) return null;
    Object id = query.get("_id");
    if (!(id instanceof String || id instanceof Number || id instanceof ObjectId)) return null;
    for (Index<P> index : indexes) {
      if (index.getKeys().size() == 1 && index.getKeys().get(0).getKey().equals("_id")) {
        return index.getPositions(new Document("_id", id));
      }
    }
    return null;
  }

  /** The memory backend with findAndModify answers copied under the collection lock. */
  static final class Memory extends MemoryBackend {
    @Override
    public MemoryDatabase openOrCreateDatabase(String databaseName) {
      return new MemoryDatabase(databaseName, getCursorRegistry()) {
        @Override
        protected MemoryCollection openOrCreateCollection(String name, CollectionOptions options) {
          return new MemoryCollection(this, name, options, cursorRegistry) {
            @Override
            protected QueryResult queryDocuments(Document query, Document orderBy, int skip, int limit, int batchSize, Document fieldSelector) {
              var positions = positionsById(query, getIndexes());
              return positions == null ? super.queryDocuments(query, orderBy, skip, limit, batchSize, fieldSelector)
                  : matchDocuments(query, positions, orderBy, skip, limit, batchSize, fieldSelector);
            }

            @Override
            public synchronized Document findAndModify(Document query) {
              return copyValue(super.findAndModify(query));
            }
          };
        }
      };
    }
  }

  /** When the H2 backend's changes reach the file (see the class comment). */
  enum Durability {
    NONE, COMMIT, FSYNC;

    static Durability parse(String name) {
      return switch (name) {
        case "none" -> NONE;
        case "commit" -> COMMIT;
        case "fsync" -> FSYNC;
        default -> throw new IllegalArgumentException("unknown durability " + name + " (none, commit or fsync)");
      };
    }
  }

  /**
   * The H2 backend with findAndModify answers copied under the collection lock, and durable
   * commands: H2's MVStore keeps changes in memory and writes them out in the background about once
   * a second, so an answered write could be lost with the process. After every command that changed
   * something, this commits the store (a synchronous write of a new chunk) before the answer is
   * sent; concurrent commands share a commit when they finish together. A commit that fails turns
   * the command's answer into an error.
   */
  static final class H2 extends H2Backend {
    private static final int RETENTION_MS = 1000;
    private final Durability durability;

    H2(String file, Durability durability) {
      super(MVStore.open(file));
      this.durability = durability;
      // A commit per write makes many small chunks; H2 keeps a dead chunk's space for 45 s by
      // default (in case the OS has not flushed the newer one), which grew the file by ~20 KB per
      // write. Every commit here is already written (or synced) before it is answered.
      if (durability != Durability.NONE) getMvStore().setRetentionTime(RETENTION_MS);
    }

    @Override
    public Document handleCommand(Channel channel, String databaseName, String command, Document query) {
      Document answer;
      try {
        answer = super.handleCommand(channel, databaseName, command, query);
      } catch (RuntimeException e) {
        // A failed command may still have changed something (an unordered batch); keep its error.
        try {
          persist();
        } catch (RuntimeException ignored) {
          // the command's own error is the one to answer with
        }
        throw e;
      }
      persist();
      return answer;
    }

    private void persist() {
      MVStore store = getMvStore();
      if (durability == Durability.NONE || !store.hasUnsavedChanges()) return;
      try {
        store.commit();
        if (durability == Durability.FSYNC) store.sync();
      } catch (RuntimeException e) {
        throw new MongoServerException("the write could not be made durable: " + e);
      }
    }

    @Override
    protected MongoDatabase openOrCreateDatabase(String databaseName) {
      return new H2Database(databaseName, getMvStore(), getCursorRegistry()) {
        // Same map names as H2Database.openOrCreateCollection (they are the file format).
        @Override
        protected MongoCollection<Object> openOrCreateCollection(String name, CollectionOptions options) {
          String full = getFullCollectionNamespace(name);
          MVMap<Object, Document> data = getMvStore().openMap("databases." + full);
          MVMap<String, Object> meta = getMvStore().openMap("meta." + full);
          return new H2Collection(this, name, options, data, meta, cursorRegistry) {
            @Override
            protected QueryResult queryDocuments(Document query, Document orderBy, int skip, int limit, int batchSize, Document fieldSelector) {
              var positions = positionsById(query, getIndexes());
              return positions == null ? super.queryDocuments(query, orderBy, skip, limit, batchSize, fieldSelector)
                  : matchDocuments(query, positions, orderBy, skip, limit, batchSize, fieldSelector);
            }

            @Override
            public synchronized Document findAndModify(Document query) {
              return copyValue(super.findAndModify(query));
            }
          };
        }
      };
    }
  }
}
