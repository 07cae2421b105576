// Memoised transcript layout per entry, so a long conversation is wrapped once rather than on every frame; only
// entries that changed (the one streaming) are laid out again. Invisible to callers: layout stays a pure function.
import Foundation

/// Per-entry layout results for one width, shared by view and update.
///
/// A lock-protected class (hence `@unchecked Sendable`) because it is a cache behind a pure function, read from
/// whichever thread renders; entries are compared by value, which is O(1) for unchanged strings that share storage.
final class TranscriptLayoutCache: @unchecked Sendable {
    static let shared = TranscriptLayoutCache()

    private struct Slot {
        var entry: TranscriptEntry
        var frame: Int
        var lines: [StyledLine]
    }

    private let lock = NSLock()
    private var width = -1
    private var slots: [Slot?] = []

    /// The lines of `entry` at index `index`, computing them with `make` when the cached ones do not match.
    func lines(index: Int, entry: TranscriptEntry, width: Int, frame: Int, make: () -> [StyledLine]) -> [StyledLine] {
        let frameKey = entry.streaming ? frame : 0
        lock.lock()
        if width != self.width {
            self.width = width
            slots.removeAll(keepingCapacity: true)
        }
        if index < slots.count, let slot = slots[index], slot.frame == frameKey, slot.entry == entry {
            lock.unlock()
            return slot.lines
        }
        lock.unlock()
        let lines = make()
        lock.lock()
        if slots.count <= index { slots += Array(repeating: nil, count: index + 1 - slots.count) }
        slots[index] = Slot(entry: entry, frame: frameKey, lines: lines)
        lock.unlock()
        return lines
    }

    /// Forgets everything (tests, or a cleared transcript).
    func removeAll() {
        lock.lock()
        slots.removeAll()
        lock.unlock()
    }
}
