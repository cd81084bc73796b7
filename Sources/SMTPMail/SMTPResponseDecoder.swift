import NIOCore

/// Turns the bytes a server sends into replies. Multi-line replies (`250-…` lines followed by a
/// final `250 …` line) become one `SMTPResponse`. Plain value type, fed by `SMTPClientHandler`.
public struct SMTPResponseDecoder: Sendable {
    public struct DecodingError: Error, Sendable, Equatable, CustomStringConvertible {
        public var reason: String
        public var description: String { "Malformed SMTP reply: \(reason)" }
    }

    /// RFC 5321 allows reply lines of 512 octets; be lenient, but bounded.
    public static let maximumLineLength = 4096
    /// Bounds the lines of one multi-line reply (EHLO replies have a dozen or so).
    public static let maximumLinesPerResponse = 200

    private var buffer: ByteBuffer
    private var pendingCode: Int?
    private var pendingLines: [String] = []

    public init() {
        self.buffer = ByteBuffer()
    }

    /// True when bytes have arrived that do not yet form a whole reply.
    public var hasBufferedBytes: Bool {
        buffer.readableBytes > 0 || pendingCode != nil
    }

    /// Adds `bytes` and returns every reply that is now complete, in order.
    public mutating func feed(_ bytes: ByteBuffer) throws -> [SMTPResponse] {
        var bytes = bytes
        buffer.writeBuffer(&bytes)
        var responses: [SMTPResponse] = []
        while let line = try nextLine() {
            if let response = try take(line) {
                responses.append(response)
            }
        }
        if buffer.readerIndex > 0, buffer.readableBytes == 0 {
            buffer.clear()
        } else if buffer.readerIndex > 1024 {
            buffer.discardReadBytes()
        }
        return responses
    }

    private mutating func nextLine() throws -> String? {
        let view = buffer.readableBytesView
        guard let newline = view.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > Self.maximumLineLength {
                throw DecodingError(reason: "line longer than \(Self.maximumLineLength) bytes")
            }
            return nil
        }
        let length = newline - view.startIndex
        guard length <= Self.maximumLineLength else {
            throw DecodingError(reason: "line longer than \(Self.maximumLineLength) bytes")
        }
        var bytes = buffer.readBytes(length: length + 1)!
        bytes.removeLast()  // \n
        if bytes.last == UInt8(ascii: "\r") {
            bytes.removeLast()
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private mutating func take(_ line: String) throws -> SMTPResponse? {
        let utf8 = Array(line.utf8)
        guard utf8.count >= 3, utf8[0..<3].allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
            let code = Int(String(decoding: utf8[0..<3], as: UTF8.self)), (100...599).contains(code)
        else {
            throw DecodingError(reason: "line does not start with a reply code")
        }
        let separator = utf8.count > 3 ? utf8[3] : UInt8(ascii: " ")
        guard separator == UInt8(ascii: " ") || separator == UInt8(ascii: "-") else {
            throw DecodingError(reason: "unexpected character after the reply code")
        }
        if let pendingCode, pendingCode != code {
            throw DecodingError(reason: "reply code changed within a multi-line reply")
        }
        let text = utf8.count > 4 ? String(decoding: utf8[4...], as: UTF8.self) : ""
        pendingLines.append(text)
        guard pendingLines.count <= Self.maximumLinesPerResponse else {
            throw DecodingError(reason: "more than \(Self.maximumLinesPerResponse) lines in one reply")
        }
        if separator == UInt8(ascii: "-") {
            pendingCode = code
            return nil
        }
        let response = SMTPResponse(code: code, lines: pendingLines)
        pendingCode = nil
        pendingLines = []
        return response
    }
}
