import Checkpoints
import Foundation
import Testing

@Test func unknownBytesRejectedAsUnsupportedFormat() throws {
    #expect {
        try loadStateDict(bytes: Array("hello world".utf8), path: "notes.txt")
    } throws: { error in
        guard case CheckpointError.unsupportedFormat(let path, _) = error else { return false }
        return path == "notes.txt"
    }
}
