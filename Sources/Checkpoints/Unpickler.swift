/// A restricted unpickler for state dicts. Like torch.load with `weights_only=True`, it
/// implements only the opcodes of pickle protocols 1–5 that state dicts use, resolves only
/// allowlisted globals (`PickleGlobal`), applies BUILD only to dicts and tensors, and calls
/// nothing from the file. Tensors come back as `TensorDescriptor` values that name their
/// storage, and the caller reads the storage bytes afterwards.
///
/// Memo, stack, mark and object counts are bounded, and every length is checked against the
/// bytes left, so hostile input ends in a `CheckpointError` without unbounded allocation.
struct Unpickler {
    /// Maps the persistent id of BINPERSID (a tuple in `PickleResult`) to a value, or throws
    /// `PickleFailure` to reject it.
    typealias PersistentLoad = (PickleValue, PickleResult) throws -> PickleValue

    static let maximumStackCount = 1 << 20
    static let maximumMarkDepth = 1 << 16
    /// torch 2.13 stores about 9 memo entries per tensor of a state dict, so this admits
    /// state dicts of about 100,000 tensors.
    static let maximumMemoCount = 1 << 20
    static let maximumObjectCount = 1 << 22

    let bytes: [UInt8]
    let end: Int
    let path: String
    let entry: String
    let persistentLoad: PersistentLoad?

    /// File offset of the next opcode. After `load()` it is the offset just past STOP.
    private(set) var position: Int
    private var opcodeOffset = 0
    private var stack: [PickleValue] = []
    private var marks: [Int] = []
    private var memo: [Int: PickleValue] = [:]
    private var objects: [PickleObject] = []

    init(bytes: [UInt8], range: Range<Int>, path: String, entry: String, persistentLoad: PersistentLoad?) {
        self.bytes = bytes
        self.position = range.lowerBound
        self.end = range.upperBound
        self.path = path
        self.entry = entry
        self.persistentLoad = persistentLoad
    }

    /// Runs opcodes until STOP and returns the object on top of the stack.
    mutating func load() throws -> PickleResult {
        while true {
            opcodeOffset = position
            let opcode = try readByte()
            if opcode == 0x2e {  // STOP
                let root = try pop()
                return PickleResult(root: root, objects: objects)
            }
            try execute(opcode)
        }
    }

    // MARK: - Opcodes

    private mutating func execute(_ opcode: UInt8) throws {
        switch opcode {
        case 0x80: try readProtocol()
        case 0x95: try skipFrame()
        case 0x28: try pushMark()  // MARK
        case 0x30: _ = try pop()  // POP
        case 0x31: _ = try popToMark()  // POP_MARK
        case 0x32: try push(try peek())  // DUP

        case 0x4e: try push(.none)  // NONE
        case 0x88: try push(.bool(true))  // NEWTRUE
        case 0x89: try push(.bool(false))  // NEWFALSE
        case 0x4a: try push(.int(Int(Int32(bitPattern: try readUInt32())))) // BININT
        case 0x4b: try push(.int(Int(try readByte())))  // BININT1
        case 0x4d: try push(.int(Int(try readUInt16())))  // BININT2
        case 0x8a: try push(try readLong(lengthBytes: 1))  // LONG1
        case 0x8b: try push(try readLong(lengthBytes: 4))  // LONG4
        case 0x47: try push(.float(Double(bitPattern: try readUInt64BigEndian())))  // BINFLOAT

        case 0x58: try push(.string(try readText(lengthBytes: 4)))  // BINUNICODE
        case 0x8c: try push(.string(try readText(lengthBytes: 1)))  // SHORT_BINUNICODE
        case 0x8d: try push(.string(try readText(lengthBytes: 8)))  // BINUNICODE8
        case 0x54: try push(.string(try readText(lengthBytes: 4)))  // BINSTRING (Python 2 str)
        case 0x55: try push(.string(try readText(lengthBytes: 1)))  // SHORT_BINSTRING (Python 2 str)
        case 0x42: try push(.bytes(Array(bytes[try readRange(lengthBytes: 4)])))  // BINBYTES
        case 0x43: try push(.bytes(Array(bytes[try readRange(lengthBytes: 1)])))  // SHORT_BINBYTES
        case 0x8e: try push(.bytes(Array(bytes[try readRange(lengthBytes: 8)])))  // BINBYTES8

        case 0x29: try push(try makeObject(.tuple([])))  // EMPTY_TUPLE
        case 0x85: try pushTuple(count: 1)  // TUPLE1
        case 0x86: try pushTuple(count: 2)  // TUPLE2
        case 0x87: try pushTuple(count: 3)  // TUPLE3
        case 0x74: try push(try makeObject(.tuple(try popToMark())))  // TUPLE
        case 0x5d: try push(try makeObject(.list([])))  // EMPTY_LIST
        case 0x6c: try push(try makeObject(.list(try popToMark())))  // LIST
        case 0x61: try append(items: [try pop()])  // APPEND
        case 0x65: try append(items: try popToMark())  // APPENDS
        case 0x7d: try push(try makeObject(.dictionary(PickleDictionary())))  // EMPTY_DICT
        case 0x64: try pushDictionary()  // DICT
        case 0x73: try setItems(try popPairs(count: 2))  // SETITEM
        case 0x75: try setItems(try popToMark())  // SETITEMS

        case 0x71: try storeMemo(index: Int(try readByte()))  // BINPUT
        case 0x72: try storeMemo(index: Int(try readUInt32()))  // LONG_BINPUT
        case 0x94: try storeMemo(index: memo.count)  // MEMOIZE
        case 0x68: try loadMemo(index: Int(try readByte()))  // BINGET
        case 0x6a: try loadMemo(index: Int(try readUInt32()))  // LONG_BINGET

        case 0x63: try pushGlobal(module: try readLine(), name: try readLine())  // GLOBAL
        case 0x93: try pushStackGlobal()  // STACK_GLOBAL
        case 0x51: try loadPersistent()  // BINPERSID
        case 0x52: try reduce()  // REDUCE
        case 0x81: try newObject()  // NEWOBJ
        case 0x62: try build()  // BUILD
        default:
            throw CheckpointError.unsupportedOpcode(path: path, entry: entry, opcode: opcode, offset: opcodeOffset)
        }
    }

    private mutating func readProtocol() throws {
        let version = try readByte()
        guard (1...5).contains(version) else { throw failure("unsupported pickle protocol \(version)") }
    }

    /// Protocol 4 frames only group opcodes for buffered reading, so the reader skips the
    /// frame header after checking that the declared length fits.
    private mutating func skipFrame() throws {
        let length = try readUInt64()
        guard length <= UInt64(end - position) else { throw truncation(needed: Int(clamping: length)) }
    }

    // MARK: - Containers

    private mutating func pushTuple(count: Int) throws {
        guard stack.count - (marks.last ?? 0) >= count else { throw failure("stack underflow building a \(count)-tuple") }
        let items = Array(stack.suffix(count))
        stack.removeLast(count)
        try push(try makeObject(.tuple(items)))
    }

    private mutating func pushDictionary() throws {
        var dictionary = PickleDictionary()
        let items = try popToMark()
        try insert(items, into: &dictionary)
        try push(try makeObject(.dictionary(dictionary)))
    }

    private mutating func append(items: [PickleValue]) throws {
        let target = try peek()
        guard case .object(let index) = target, case .list(var list) = objects[index] else {
            throw failure("APPEND target is \(describe(target)), not a list")
        }
        objects[index] = .tuple([])  // drops the table's reference so that `list` grows in place
        list.append(contentsOf: items)
        objects[index] = .list(list)
    }

    private mutating func setItems(_ items: [PickleValue]) throws {
        let target = try peek()
        guard case .object(let index) = target, case .dictionary(var dictionary) = objects[index] else {
            throw failure("SETITEM target is \(describe(target)), not a dict")
        }
        objects[index] = .tuple([])  // drops the table's reference so that `dictionary` grows in place
        try insert(items, into: &dictionary)
        objects[index] = .dictionary(dictionary)
    }

    private func insert(_ items: [PickleValue], into dictionary: inout PickleDictionary) throws {
        guard items.count % 2 == 0 else { throw failure("odd number of items (\(items.count)) for dict keys and values") }
        for pairStart in stride(from: 0, to: items.count, by: 2) {
            let key: PickleKey
            switch items[pairStart] {
            case .string(let text): key = .string(text)
            case .int(let number): key = .int(number)
            default: throw failure("dict key is \(describe(items[pairStart])), but only strings and ints are allowed")
            }
            dictionary.set(items[pairStart + 1], forKey: key)
        }
    }

    private mutating func popPairs(count: Int) throws -> [PickleValue] {
        guard stack.count - (marks.last ?? 0) >= count + 1 else { throw failure("stack underflow in SETITEM") }
        let items = Array(stack.suffix(count))
        stack.removeLast(count)
        return items
    }

    // MARK: - Memo

    private mutating func storeMemo(index: Int) throws {
        if memo[index] == nil && memo.count >= Self.maximumMemoCount {
            throw CheckpointError.limitExceeded(
                path: path, entry: entry, offset: opcodeOffset, limit: "\(Self.maximumMemoCount) memo entries")
        }
        memo[index] = try peek()
    }

    private mutating func loadMemo(index: Int) throws {
        guard let value = memo[index] else { throw failure("memo index \(index) was never stored") }
        try push(value)
    }

    // MARK: - Globals and calls

    private mutating func pushGlobal(module: String, name: String) throws {
        guard let global = PickleGlobal(module: module, name: name) else {
            throw CheckpointError.forbiddenGlobal(path: path, entry: entry, global: "\(module).\(name)", offset: opcodeOffset)
        }
        try push(.global(global))
    }

    private mutating func pushStackGlobal() throws {
        let nameValue = try pop()
        let moduleValue = try pop()
        guard case .string(let module) = moduleValue, case .string(let name) = nameValue else {
            throw failure("STACK_GLOBAL needs two strings, found \(describe(moduleValue)) and \(describe(nameValue))")
        }
        try pushGlobal(module: module, name: name)
    }

    private mutating func loadPersistent() throws {
        let id = try pop()
        guard let persistentLoad else { throw failure("persistent id found, but this pickle may not reference storages") }
        do {
            try push(try persistentLoad(id, PickleResult(root: id, objects: objects)))
        } catch let rejection as PickleFailure {
            throw failure("invalid persistent id: \(rejection.reason)")
        }
    }

    private mutating func reduce() throws {
        let arguments = try pop()
        let callable = try pop()
        guard case .global(let global) = callable else { throw failure("REDUCE calls \(describe(callable)), not an allowed global") }
        guard let items = result.items(arguments) else { throw failure("REDUCE arguments are \(describe(arguments)), not a tuple") }
        do {
            try push(try call(global, with: items))
        } catch let rejection as PickleFailure {
            throw failure(rejection.reason)
        }
    }

    /// NEWOBJ (`cls.__new__(cls, *args)`) is accepted only for OrderedDict.
    private mutating func newObject() throws {
        let arguments = try pop()
        let callable = try pop()
        guard case .global(.orderedDict) = callable, result.items(arguments)?.isEmpty == true else {
            throw failure("NEWOBJ is allowed only for collections.OrderedDict without arguments")
        }
        try push(try makeObject(.dictionary(PickleDictionary())))
    }

    /// BUILD sets object state. State dicts carry it only on OrderedDict (the `_metadata`
    /// attribute with module versions) and on tensors, and neither is needed, so it is dropped.
    private mutating func build() throws {
        _ = try pop()
        let target = try peek()
        switch target {
        case .tensor: return
        case .object(let index):
            if case .dictionary = objects[index] { return }
        default: break
        }
        throw failure("BUILD target is \(describe(target)), but only dicts and tensors accept state")
    }

    private mutating func call(_ global: PickleGlobal, with arguments: [PickleValue]) throws -> PickleValue {
        switch global {
        case .orderedDict:
            var dictionary = PickleDictionary()
            if let pairs = arguments.first {
                for pair in result.items(pairs) ?? [] {
                    guard let keyValue = result.items(pair), keyValue.count == 2 else {
                        throw PickleFailure(reason: "OrderedDict argument is not a sequence of pairs")
                    }
                    try insert(keyValue, into: &dictionary)
                }
            }
            return try makeObject(.dictionary(dictionary))
        case .rebuildTensorV2, .rebuildTensor:
            return .tensor(try TensorDescriptor(rebuildArguments: arguments, in: result, version2: global == .rebuildTensorV2))
        case .rebuildParameter:
            guard (3...4).contains(arguments.count), case .tensor = arguments[0] else {
                throw PickleFailure(reason: "_rebuild_parameter expects (tensor, requires_grad, backward_hooks)")
            }
            return arguments[0]
        case .storageType, .dtype:
            throw PickleFailure(reason: "storage classes and dtypes cannot be called")
        }
    }

    // MARK: - Stack

    private var result: PickleResult { PickleResult(root: .none, objects: objects) }

    private mutating func push(_ value: PickleValue) throws {
        guard stack.count < Self.maximumStackCount else {
            throw CheckpointError.limitExceeded(
                path: path, entry: entry, offset: opcodeOffset, limit: "\(Self.maximumStackCount) stack values")
        }
        stack.append(value)
    }

    private mutating func pop() throws -> PickleValue {
        guard stack.count > (marks.last ?? 0) else { throw failure("stack underflow") }
        return stack.removeLast()
    }

    private func peek() throws -> PickleValue {
        guard stack.count > (marks.last ?? 0), let top = stack.last else { throw failure("stack underflow") }
        return top
    }

    private mutating func pushMark() throws {
        guard marks.count < Self.maximumMarkDepth else {
            throw CheckpointError.limitExceeded(
                path: path, entry: entry, offset: opcodeOffset, limit: "\(Self.maximumMarkDepth) nested marks")
        }
        marks.append(stack.count)
    }

    private mutating func popToMark() throws -> [PickleValue] {
        guard let mark = marks.popLast() else { throw failure("no MARK before an opcode that needs one") }
        let items = Array(stack[mark...])
        stack.removeSubrange(mark...)
        return items
    }

    private mutating func makeObject(_ object: PickleObject) throws -> PickleValue {
        guard objects.count < Self.maximumObjectCount else {
            throw CheckpointError.limitExceeded(
                path: path, entry: entry, offset: opcodeOffset, limit: "\(Self.maximumObjectCount) containers")
        }
        objects.append(object)
        return .object(objects.count - 1)
    }

    // MARK: - Operands

    private mutating func readByte() throws -> UInt8 {
        guard position < end else { throw truncation(needed: 1) }
        defer { position += 1 }
        return bytes[position]
    }

    private mutating func readRange(count: Int) throws -> Range<Int> {
        guard fits(position, count, within: end) else { throw truncation(needed: count) }
        defer { position += count }
        return position..<(position + count)
    }

    private mutating func readUInt16() throws -> UInt16 {
        let range = try readRange(count: 2)
        return littleEndianUInt16(bytes, at: range.lowerBound)
    }

    private mutating func readUInt32() throws -> UInt32 {
        let range = try readRange(count: 4)
        return littleEndianUInt32(bytes, at: range.lowerBound)
    }

    private mutating func readUInt64() throws -> UInt64 {
        let range = try readRange(count: 8)
        return littleEndianUInt64(bytes, at: range.lowerBound)
    }

    private mutating func readUInt64BigEndian() throws -> UInt64 {
        try readRange(count: 8).reduce(0) { $0 << 8 | UInt64(bytes[$1]) }
    }

    /// Reads a length field of `lengthBytes` bytes and the range of that many bytes after it.
    private mutating func readRange(lengthBytes: Int) throws -> Range<Int> {
        let length: UInt64
        switch lengthBytes {
        case 1: length = UInt64(try readByte())
        case 4: length = UInt64(try readUInt32())
        default: length = try readUInt64()
        }
        guard length <= UInt64(end - position) else { throw truncation(needed: Int(clamping: length)) }
        return try readRange(count: Int(length))
    }

    private mutating func readText(lengthBytes: Int) throws -> String {
        let range = try readRange(lengthBytes: lengthBytes)
        guard let text = String(validating: bytes[range], as: UTF8.self) else {
            throw failure("string of \(range.count) bytes is not valid UTF-8")
        }
        return text
    }

    /// Reads a newline-terminated ASCII line, as GLOBAL stores module and name.
    private mutating func readLine() throws -> String {
        let lineStart = position
        while position < end && bytes[position] != 0x0a && position - lineStart < 1024 { position += 1 }
        guard position < end else { throw truncation(needed: 1) }
        guard bytes[position] == 0x0a else { throw failure("GLOBAL name longer than 1024 bytes") }
        defer { position += 1 }
        return String(decoding: bytes[lineStart..<position], as: UTF8.self)
    }

    /// Reads LONG1/LONG4: a little-endian two's-complement integer of declared length.
    private mutating func readLong(lengthBytes: Int) throws -> PickleValue {
        let range = try readRange(lengthBytes: lengthBytes)
        guard range.count <= 8 else { return .largeInt(Array(bytes[range])) }
        guard !range.isEmpty else { return .int(0) }
        var value: UInt64 = bytes[range.last!] >= 0x80 ? ~0 : 0
        for index in range.reversed() { value = value << 8 | UInt64(bytes[index]) }
        return .int(Int(Int64(bitPattern: value)))
    }

    // MARK: - Errors

    private func failure(_ reason: String) -> CheckpointError {
        .malformedPickle(path: path, entry: entry, offset: opcodeOffset, reason: reason)
    }

    private func truncation(needed: Int) -> CheckpointError {
        .truncated(path: path, entry: entry, offset: position, needed: needed)
    }

    private func describe(_ value: PickleValue) -> String { result.kindName(value) }
}

/// A rejection raised by persistent-id decoders and allowed calls. The unpickler adds the
/// file, pickle and offset.
struct PickleFailure: Error {
    var reason: String
}
