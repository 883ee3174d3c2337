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
import org.h2.mvstore.MVMap;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

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
      case "memory" -> new Memory();
      case "h2" -> {
        if (file == null) throw new IllegalArgumentException("--backend h2 needs --file");
        yield new H2(file);
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

  /** The H2 backend with findAndModify answers copied under the collection lock. */
  static final class H2 extends H2Backend {
    H2(String file) {
      super(file);
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
