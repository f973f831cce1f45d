// Little-endian integer loads from byte arrays. Callers check `offset + size <= bytes.count`
// first, because these functions trap on out-of-range offsets like any array subscript.

func littleEndianUInt16(_ bytes: [UInt8], at offset: Int) -> UInt16 {
    UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
}

func littleEndianUInt32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
    var value: UInt32 = 0
    for index in (0..<4).reversed() { value = value << 8 | UInt32(bytes[offset + index]) }
    return value
}

func littleEndianUInt64(_ bytes: [UInt8], at offset: Int) -> UInt64 {
    var value: UInt64 = 0
    for index in (0..<8).reversed() { value = value << 8 | UInt64(bytes[offset + index]) }
    return value
}

/// True when `count` bytes starting at `offset` lie within `limit` (and both are non-negative).
func fits(_ offset: Int, _ count: Int, within limit: Int) -> Bool {
    offset >= 0 && count >= 0 && offset <= limit && count <= limit - offset
}
