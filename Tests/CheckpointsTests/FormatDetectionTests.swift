import Checkpoints
import Foundation
import Testing

@Test func plainPickleRejectedAsUnsupportedFormat() {
    // {} pickled with protocol 2 lacks the legacy magic number.
    #expect {
        try loadStateDict(bytes: [0x80, 0x02, 0x7d, 0x2e], path: "dict.pkl")
    } throws: { error in
        guard case CheckpointError.unsupportedFormat = error else { return false }
        return true
    }
}

@Test func emptyFileRejectedAsUnsupportedFormat() {
    #expect {
        try loadStateDict(bytes: [], path: "empty.pt")
    } throws: { error in
        guard case CheckpointError.unsupportedFormat = error else { return false }
        return true
    }
}

@Test func unknownBytesRejectedAsUnsupportedFormat() throws {
    #expect {
        try loadStateDict(bytes: Array("hello world".utf8), path: "notes.txt")
    } throws: { error in
        guard case CheckpointError.unsupportedFormat(let path, _) = error else { return false }
        return path == "notes.txt"
    }
}
