package io.graphsec.routes.state;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * The in-memory half of {@link AlertVersionStore}: key to store value, one {@code byte[]} per entry in
 * an open-addressed table. A Graph timestamp version is kept as 100-ns ticks, the rest as UTF-8.
 *
 * <p>Why not a {@code HashMap<String, String>}: the store holds every alert delivered within the change
 * memory (up to {@code graph.dedup.max-entries}, 500 000), and as two Strings and a map node an entry
 * costs ~180 bytes of heap; here ~75. At {@code -Xmx256m} that is the difference between a backlog that
 * fits and one that does not (docs/performance.md). Keys and values are kept exactly, never hashed: a
 * collision must not make a new alert look delivered.
 *
 * <p>Entry layout: key length (varint), key, then either {@code 1}, ticks (8 bytes), fraction digits
 * (1 byte) or {@code 0}, version length (varint), version; then the rest of the value (from the tab
 * after the version, UTF-8) to the end. Not thread-safe: the store synchronizes.
 */
final class CompactVersions {

    private static final Pattern GRAPH_TIME =
            Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,7})?Z");
    private static final long TICKS_PER_SECOND = 10_000_000L;
    private static final byte TICKS = 1;
    private static final byte TEXT = 0;

    private byte[][] slots = new byte[1024][];
    private int size;

    int size() {
        return size;
    }

    /** The value stored for the key, or null. */
    String get(String key) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        byte[] entry = slots[find(slots, k)];
        return entry == null ? null : valueOf(entry);
    }

    /** Stores the value; false if the key already held exactly this value. */
    boolean put(String key, String value) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        int i = find(slots, k);
        byte[] entry = encode(k, value);
        if (slots[i] != null) {
            if (Arrays.equals(slots[i], entry)) {
                return false;
            }
            slots[i] = entry;
            return true;
        }
        slots[i] = entry;
        if (++size > slots.length * 7L / 10) {
            rehash(slots.length * 2);
        }
        return true;
    }

    void forEach(BiConsumer<String, String> action) {
        for (byte[] entry : slots) {
            if (entry != null) {
                action.accept(keyOf(entry), valueOf(entry));
            }
        }
    }

    /** Removes the entries whose version is a timestamp before {@code horizon}; others stay. */
    int forgetBefore(Instant horizon) {
        long limit = ticks(horizon);
        return retain(entry -> {
            long t = versionTicks(entry);
            return t == Long.MIN_VALUE || t >= limit;
        });
    }

    /**
     * Keeps the {@code n} entries with the newest versions (versions that are not timestamps count as
     * the oldest): what leaves first is what leaves the overlap window first anyway.
     */
    void keepNewest(int n) {
        if (size <= n) {
            return;
        }
        if (n <= 0) {
            slots = new byte[slots.length][];
            size = 0;
            return;
        }
        long[] all = new long[size];
        int j = 0;
        for (byte[] entry : slots) {
            if (entry != null) {
                all[j++] = versionTicks(entry);
            }
        }
        Arrays.sort(all);
        long cutoff = all[size - n];
        int[] tiesToDrop = {(int) Arrays.stream(all, 0, size - n).filter(t -> t == cutoff).count()};
        retain(entry -> {
            long t = versionTicks(entry);
            if (t == cutoff && tiesToDrop[0] > 0) {
                tiesToDrop[0]--;
                return false;
            }
            return t >= cutoff;
        });
    }

    // ---- table ------------------------------------------------------------------------------

    private int retain(java.util.function.Predicate<byte[]> keep) {
        byte[][] old = slots;
        int removed = 0;
        byte[][] fresh = new byte[old.length][];
        for (byte[] entry : old) {
            if (entry == null) {
                continue;
            }
            if (keep.test(entry)) {
                fresh[findEntry(fresh, entry)] = entry;
            } else {
                removed++;
            }
        }
        slots = fresh;
        size -= removed;
        return removed;
    }

    private void rehash(int capacity) {
        byte[][] fresh = new byte[capacity][];
        for (byte[] entry : slots) {
            if (entry != null) {
                fresh[findEntry(fresh, entry)] = entry;
            }
        }
        slots = fresh;
    }

    /** The slot holding the key {@code b[from, from + len)}, or the empty slot where it belongs. */
    private static int find(byte[][] table, byte[] b, int from, int len) {
        int mask = table.length - 1;
        int i = mix(hash(b, from, len)) & mask;
        while (table[i] != null) {
            byte[] e = table[i];
            int eLen = readVarint(e, 0);
            int eFrom = varintSize(eLen);
            if (eLen == len && Arrays.equals(e, eFrom, eFrom + eLen, b, from, from + len)) {
                return i;
            }
            i = (i + 1) & mask;
        }
        return i;
    }

    private static int find(byte[][] table, byte[] key) {
        return find(table, key, 0, key.length);
    }

    private static int findEntry(byte[][] table, byte[] entry) {
        int len = readVarint(entry, 0);
        return find(table, entry, varintSize(len), len);
    }

    private static int hash(byte[] b, int from, int len) {
        int h = 1;
        for (int i = from; i < from + len; i++) {
            h = 31 * h + b[i];
        }
        return h;
    }

    private static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        return h;
    }

    // ---- encoding ---------------------------------------------------------------------------

    static byte[] encode(byte[] key, String value) {
        int tab = value.indexOf('\t');
        String version = tab < 0 ? value : value.substring(0, tab);
        byte[] rest = tab < 0 ? new byte[0] : value.substring(tab).getBytes(StandardCharsets.UTF_8);
        long ticks = Long.MIN_VALUE;
        int digits = 0;
        if (GRAPH_TIME.matcher(version).matches()) {
            int dot = version.indexOf('.');
            digits = dot < 0 ? 0 : version.length() - dot - 2;
            try {
                long t = parseTicks(version, digits);
                if (formatTicks(t, digits).equals(version)) {
                    ticks = t;
                }
            } catch (java.time.DateTimeException notAValidTime) {
                // kept as text, exactly as it came
            }
        }
        byte[] text = ticks == Long.MIN_VALUE ? version.getBytes(StandardCharsets.UTF_8) : null;
        int head = varintSize(key.length) + key.length;
        int body = text == null ? 1 + 8 + 1 : 1 + varintSize(text.length) + text.length;
        byte[] entry = new byte[head + body + rest.length];
        int p = writeVarint(entry, 0, key.length);
        System.arraycopy(key, 0, entry, p, key.length);
        p += key.length;
        if (text == null) {
            entry[p++] = TICKS;
            for (int s = 56; s >= 0; s -= 8) {
                entry[p++] = (byte) (ticks >>> s);
            }
            entry[p++] = (byte) digits;
        } else {
            entry[p++] = TEXT;
            p = writeVarint(entry, p, text.length);
            System.arraycopy(text, 0, entry, p, text.length);
            p += text.length;
        }
        System.arraycopy(rest, 0, entry, p, rest.length);
        return entry;
    }

    static String keyOf(byte[] entry) {
        int len = readVarint(entry, 0);
        return new String(entry, varintSize(len), len, StandardCharsets.UTF_8);
    }

    static String valueOf(byte[] entry) {
        int p = versionStart(entry);
        String version;
        if (entry[p] == TICKS) {
            version = formatTicks(readLong(entry, p + 1), entry[p + 9]);
            p += 10;
        } else {
            int len = readVarint(entry, p + 1);
            int from = p + 1 + varintSize(len);
            version = new String(entry, from, len, StandardCharsets.UTF_8);
            p = from + len;
        }
        return p == entry.length ? version : version + new String(entry, p, entry.length - p, StandardCharsets.UTF_8);
    }

    /** The version as ticks, or {@link Long#MIN_VALUE} if it is not a timestamp. */
    static long versionTicks(byte[] entry) {
        int p = versionStart(entry);
        if (entry[p] == TICKS) {
            return readLong(entry, p + 1);
        }
        int len = readVarint(entry, p + 1);
        String version = new String(entry, p + 1 + varintSize(len), len, StandardCharsets.UTF_8);
        try {
            return ticks(Instant.parse(version));
        } catch (RuntimeException notATimestamp) {
            return Long.MIN_VALUE;
        }
    }

    private static int versionStart(byte[] entry) {
        int len = readVarint(entry, 0);
        return varintSize(len) + len;
    }

    private static long ticks(Instant instant) {
        return Math.multiplyExact(instant.getEpochSecond(), TICKS_PER_SECOND) + instant.getNano() / 100;
    }

    /** {@code uuuu-MM-ddTHH:mm:ss[.f{digits}]Z}, already matched by {@link #GRAPH_TIME}, as ticks. */
    private static long parseTicks(String t, int digits) {
        long seconds = GraphTime.toTheSecond(t).toEpochSecond(ZoneOffset.UTC);
        long fraction = 0;
        for (int i = 0; i < 7; i++) {
            fraction = fraction * 10 + (i < digits ? t.charAt(20 + i) - '0' : 0);
        }
        return Math.multiplyExact(seconds, TICKS_PER_SECOND) + fraction;
    }

    private static String formatTicks(long ticks, int digits) {
        LocalDateTime time = LocalDateTime.ofEpochSecond(Math.floorDiv(ticks, TICKS_PER_SECOND), 0, ZoneOffset.UTC);
        StringBuilder out = new StringBuilder(28);
        pad(out, time.getYear(), 4).append('-');
        pad(out, time.getMonthValue(), 2).append('-');
        pad(out, time.getDayOfMonth(), 2).append('T');
        pad(out, time.getHour(), 2).append(':');
        pad(out, time.getMinute(), 2).append(':');
        pad(out, time.getSecond(), 2);
        if (digits > 0) {
            out.append('.');
            pad(out, Math.floorMod(ticks, TICKS_PER_SECOND), 7).setLength(out.length() - 7 + digits);
        }
        return out.append('Z').toString();
    }

    private static StringBuilder pad(StringBuilder out, long value, int width) {
        String digits = Long.toString(value);
        for (int i = digits.length(); i < width; i++) {
            out.append('0');
        }
        return out.append(digits);
    }

    private static long readLong(byte[] b, int p) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[p + i] & 0xff);
        }
        return v;
    }

    private static int writeVarint(byte[] b, int p, int v) {
        while ((v & ~0x7f) != 0) {
            b[p++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        b[p++] = (byte) v;
        return p;
    }

    private static int readVarint(byte[] b, int p) {
        int v = 0;
        for (int shift = 0; ; shift += 7) {
            byte x = b[p++];
            v |= (x & 0x7f) << shift;
            if ((x & 0x80) == 0) {
                return v;
            }
        }
    }

    private static int varintSize(int v) {
        int n = 1;
        while ((v & ~0x7f) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }
}
