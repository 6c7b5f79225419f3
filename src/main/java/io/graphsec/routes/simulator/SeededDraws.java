package io.graphsec.routes.simulator;

import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Values drawn from the {@link AlertFactory}'s seeded {@link Random}: ids, hex digits, addresses
 * and picks from a list, so that a seed still gives the same alerts.
 */
final class SeededDraws {

    private final Random random;

    SeededDraws(Random random) {
        this.random = random;
    }

    int nextInt(int bound) {
        return random.nextInt(bound);
    }

    String publicIp() {
        // Skip 0, 10, 127 and the multicast/reserved ranges: the first octet alone is enough for realism here.
        int first;
        do {
            first = 11 + random.nextInt(212);
        } while (first == 127 || first == 172 || first == 192 || first == 169 || first == 100);
        return first + "." + random.nextInt(256) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254));
    }

    String uuid() {
        long msb = (random.nextLong() & ~0xF000L) | 0x4000L; // version 4
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
        return new UUID(msb, lsb).toString();
    }

    String hex(int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(Character.forDigit(random.nextInt(16), 16));
        }
        return sb.toString();
    }

    <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    <T> T pick(T[] array) {
        return array[random.nextInt(array.length)];
    }
}
