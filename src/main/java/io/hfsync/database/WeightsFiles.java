package io.hfsync.database;

import java.util.Arrays;
import java.util.BitSet;

/**
 * Every weights file of one published SQLite file as {@link ModelIndex} asks about them: each file's model (its number
 * in the index), quantization code and size, numbered largest first with those of no known size last, and each model's
 * files. 20 bytes a file: 15 MB at the 764,491 files of 200,000 models.
 */
final class WeightsFiles {

    /** No such code, or no known size. */
    static final int NONE = -1;

    /** Per file, largest first: its model's number, its quantization's code, its size or {@link #NONE}. */
    final int[] model;
    final int[] quantization;
    final long[] size;
    /** The files of known size: {@code 0 .. sized - 1}. */
    final int sized;
    /** The files of model i are {@code byModel[first[i] .. first[i + 1])}. */
    final int[] first;
    final int[] byModel;

    /**
     * Puts the first {@code count} entries of the three arrays, as they were read, in order, largest first: in place,
     * as the index is read while a run may hold most of the heap (no second copy of them).
     *
     * @param models how many models the index numbers
     */
    WeightsFiles(int[] model, int[] quantization, long[] size, int count, int models) {
        if (count < model.length) {
            model = Arrays.copyOf(model, count);
            quantization = Arrays.copyOf(quantization, count);
            size = Arrays.copyOf(size, count);
        }
        int[] order = descending(size, count);
        BitSet placed = new BitSet(count);
        for (int start = 0; start < count; start++) {
            if (placed.get(start)) {
                continue;
            }
            // the cycle through start: position i takes what stood at order[i]
            int m = model[start];
            int q = quantization[start];
            long z = size[start];
            int i = start;
            while (true) {
                placed.set(i);
                int from = order[i];
                if (from == start) {
                    model[i] = m;
                    quantization[i] = q;
                    size[i] = z;
                    break;
                }
                model[i] = model[from];
                quantization[i] = quantization[from];
                size[i] = size[from];
                i = from;
            }
        }
        int known = 0;
        while (known < count && size[known] != NONE) {
            known++;
        }
        this.model = model;
        this.quantization = quantization;
        this.size = size;
        this.sized = known;
        first = new int[models + 1];
        for (int file = 0; file < count; file++) {
            first[model[file] + 1]++;
        }
        for (int i = 0; i < models; i++) {
            first[i + 1] += first[i];
        }
        byModel = new int[count];
        int[] next = Arrays.copyOf(first, models);
        for (int file = 0; file < count; file++) {
            byModel[next[model[file]]++] = file;
        }
    }

    int count() {
        return model.length;
    }

    /**
     * The first file at most {@code bound} bytes: a size bound or a memory budget (a file within one is at most that
     * size) rules out every file before it, so neither a walk nor a filter reads them.
     */
    int firstAtMost(long bound) {
        int low = 0;
        int high = sized;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (size[middle] > bound) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    /**
     * The positions {@code 0..count-1} ordered by {@code size}, largest first; equal sizes keep their order (a merge
     * sort, no boxing).
     */
    static int[] descending(long[] size, int count) {
        int[] order = new int[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        int[] buffer = new int[count];
        for (int width = 1; width < count; width *= 2) {
            for (int start = 0; start < count; start += 2 * width) {
                int middle = Math.min(start + width, count);
                int end = Math.min(start + 2 * width, count);
                int left = start;
                int right = middle;
                for (int out = start; out < end; out++) {
                    buffer[out] = right >= end || left < middle && size[order[left]] >= size[order[right]]
                            ? order[left++] : order[right++];
                }
            }
            int[] swap = order;
            order = buffer;
            buffer = swap;
        }
        return order;
    }
}
