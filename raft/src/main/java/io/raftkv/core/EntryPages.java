package io.raftkv.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A log kept in memory as bytes: each entry's type and data are copied into large pages, its term
 * and position into two {@code long} arrays, and an {@link Entry} is built again on each {@link
 * #get}.
 *
 * <p>Why: a node keeps its whole log in memory (there is no compaction yet), and a log of {@link
 * Entry} objects is a few objects per entry that every young collection copies, object by object,
 * until they are old enough to be promoted. At tens of thousands of entries a second that copying
 * made the nodes' young pauses last tens of milliseconds, and any pause of any replica stalls the
 * fast path, which needs every replica of three. A page of up to {@link #MAX_PAGE_BYTES} holds
 * about two thousand entries as one array, which a collection copies as one block; the entries
 * built by {@link #get} die young.
 *
 * <p>Invariants: indices are contiguous from 1 to {@link #lastIndex()}; entry {@code i}'s bytes sit
 * at {@code location[i - 1]} (page number in the high 32 bits, offset in the low 32), in index
 * order, so truncating the log only moves the end of the written bytes back. Pages grow from 4 KiB
 * to {@link #MAX_PAGE_BYTES} by doubling, so a small log stays small; an entry larger than a page
 * gets a page of its own size. Not safe for concurrent use.
 */
public final class EntryPages {
  /**
   * The largest page: 256 KiB, below G1's large-object ("humongous") size for heaps of 1 GB and up.
   * Pages of just under 1 MiB, each a humongous object of its own, measured slower in memory mode
   * at 64 clients, where the heap fills fastest (README, "Results", tenth round).
   */
  static final int MAX_PAGE_BYTES = 1 << 18;

  private static final int FIRST_PAGE_BYTES = 4096;
  private static final int HEADER_BYTES = 5;
  private static final EntryType[] TYPES = EntryType.values();

  private final List<byte[]> pages = new ArrayList<>();
  private long[] terms = new long[64];
  private long[] locations = new long[64];
  private int size;

  /** Bytes used in the last page. */
  private int pageEnd;

  /** Index of the last entry; 0 if empty. */
  public long lastIndex() {
    return size;
  }

  /** The term of entry {@code index}, which must be from 1 to {@link #lastIndex()}. */
  public long term(long index) {
    return terms[slot(index)];
  }

  /** Entry {@code index}, built from its bytes (a new object with a new data array each call). */
  public Entry get(long index) {
    int slot = slot(index);
    long location = locations[slot];
    byte[] page = pages.get((int) (location >>> 32));
    int offset = (int) location;
    EntryType type = TYPES[page[offset]];
    int length = readInt(page, offset + 1);
    byte[] data = Arrays.copyOfRange(page, offset + HEADER_BYTES, offset + HEADER_BYTES + length);
    return new Entry(terms[slot], index, type, data);
  }

  /** Entries {@code from} to {@code to}, both within 1 to {@link #lastIndex()}. */
  public List<Entry> get(long from, long to) {
    List<Entry> out = new ArrayList<>((int) Math.max(0, to - from + 1));
    for (long i = from; i <= to; i++) {
      out.add(get(i));
    }
    return out;
  }

  /** The data length of entry {@code index}, without building it. */
  public int dataLength(long index) {
    long location = locations[slot(index)];
    return readInt(pages.get((int) (location >>> 32)), (int) location + 1);
  }

  /** Appends {@code e}, whose index must be {@link #lastIndex()} + 1. */
  public void append(Entry e) {
    if (e.index() != size + 1L) {
      throw new IllegalArgumentException("append at " + e.index() + " after " + size);
    }
    int need = HEADER_BYTES + e.data().length;
    int pageNo = pages.size() - 1;
    if (pageNo < 0 || pageEnd + need > pages.get(pageNo).length) {
      pageNo = newPage(need);
    }
    byte[] page = pages.get(pageNo);
    page[pageEnd] = (byte) e.type().ordinal();
    writeInt(page, pageEnd + 1, e.data().length);
    System.arraycopy(e.data(), 0, page, pageEnd + HEADER_BYTES, e.data().length);
    if (size == terms.length) {
      terms = Arrays.copyOf(terms, size * 2);
      locations = Arrays.copyOf(locations, size * 2);
    }
    terms[size] = e.term();
    locations[size] = ((long) pageNo << 32) | pageEnd;
    size++;
    pageEnd += need;
  }

  /** Drops entry {@code index} and every later one; {@code index} from 1 to lastIndex() + 1. */
  public void truncateFrom(long index) {
    if (index < 1 || index > size + 1L) {
      throw new IllegalArgumentException("truncate at " + index + " of " + size);
    }
    if (index == size + 1L) {
      return;
    }
    long location = locations[(int) (index - 1)];
    int pageNo = (int) (location >>> 32);
    while (pages.size() - 1 > pageNo) {
      pages.remove(pages.size() - 1);
    }
    pageEnd = (int) location;
    size = (int) (index - 1);
  }

  private int newPage(int need) {
    int last = pages.isEmpty() ? FIRST_PAGE_BYTES / 2 : pages.get(pages.size() - 1).length;
    int length = (int) Math.max(need, Math.min(MAX_PAGE_BYTES, 2L * last));
    pages.add(new byte[length]);
    pageEnd = 0;
    return pages.size() - 1;
  }

  private int slot(long index) {
    if (index < 1 || index > size) {
      throw new IndexOutOfBoundsException("index " + index + " of a log ending at " + size);
    }
    return (int) (index - 1);
  }

  private static int readInt(byte[] b, int at) {
    return ((b[at] & 0xff) << 24)
        | ((b[at + 1] & 0xff) << 16)
        | ((b[at + 2] & 0xff) << 8)
        | (b[at + 3] & 0xff);
  }

  private static void writeInt(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }
}
