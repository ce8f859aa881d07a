package org.gradc.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Files written whole or not at all: the bytes go to a new temporary file next to the target
 * (so the rename stays on one file system), are forced to disk, and the temporary file is renamed
 * over the target. A reader never sees a partial file, and a write that fails removes its
 * temporary file and leaves the old target as it was. The file is created with the default
 * permissions, so the process's umask applies as for any other file it creates.
 */
public final class AtomicFile {
  private AtomicFile() {}

  /** Replaces {@code path} with {@code bytes} atomically. */
  public static void write(Path path, byte[] bytes) throws IOException {
    Path target = path.toAbsolutePath();
    Path dir = target.getParent();
    if (Files.isDirectory(target)) {
      throw new FileSystemException(path.toString(), null, "is a directory");
    }
    Path tmp = null;
    try {
      FileChannel ch = null;
      for (int attempt = 0; ch == null; attempt++) {
        Path candidate = dir.resolve("." + target.getFileName() + "."
            + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
        try {
          ch = FileChannel.open(candidate, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
          tmp = candidate;
        } catch (FileAlreadyExistsException e) {
          if (attempt >= 100) {
            throw e;
          }
        }
      }
      try (FileChannel c = ch) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
          c.write(buf);
        }
        c.force(true);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      tmp = null;
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // the original failure is the one to report
        }
      }
    }
  }

  /**
   * Checks, before any work is done, that {@code path} can be written: its directory exists and
   * is writable, and it is not itself a directory. Returns the reason it cannot, or null.
   */
  public static String cannotWrite(Path path) {
    Path target = path.toAbsolutePath();
    Path dir = target.getParent();
    if (!Files.isDirectory(dir)) {
      return Files.exists(dir) ? "'" + shown(path, dir) + "' is not a directory"
          : "no such directory '" + shown(path, dir) + "'";
    }
    if (Files.isDirectory(target)) {
      return "it is a directory";
    }
    if (!Files.isWritable(dir)) {
      return "directory '" + shown(path, dir) + "' is not writable";
    }
    return null;
  }

  /** A short reason for a failed read or write, without the temporary file's name. */
  public static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  private static String shown(Path given, Path dir) {
    Path parent = given.getParent();
    return parent != null ? parent.toString() : dir.toString();
  }
}
