import Vapor

/// A form over the size limit (a long text pasted twice, a whole document) is not thrown away:
/// its first `limit` bytes are kept, cut where a field's text can still be read, and the
/// request goes on. The form's own validation then says the text is too long, and shows the
/// page again with as much of the text as was kept. Past `hardLimit` the sender is not a
/// person typing, and the answer is the plain "too much at once" page.
enum OversizedForm {
    static let hardLimit = 8 * 1024 * 1024

    /// Marks a request whose form was cut.
    enum WasCutKey: StorageKey { typealias Value = Bool }

    static func collect(_ request: Request, keeping limit: Int) async throws {
        let declared = request.headers.first(name: .contentLength).flatMap(Int.init)
        if let declared, declared > hardLimit { throw Abort(.payloadTooLarge) }
        if let data = request.body.data {
            guard data.readableBytes > limit else { return }
            try cut(request, ByteBuffer(buffer: data), limit: limit)
            return
        }
        guard let declared, declared > limit else {
            _ = try await request.body.collect(max: limit).get()
            return
        }
        // Read it all (bounded by the hard limit), keeping the first `limit` bytes.
        var kept = ByteBuffer()
        kept.reserveCapacity(limit)
        var total = 0
        for try await var chunk in request.body {
            total += chunk.readableBytes
            if total > hardLimit { throw Abort(.payloadTooLarge) }
            let room = limit - kept.readableBytes
            if room > 0, let slice = chunk.readSlice(length: min(room, chunk.readableBytes)) {
                var slice = slice
                kept.writeBuffer(&slice)
            }
        }
        try cut(request, kept, limit: limit)
    }

    /// Only URL-encoded forms can be cut and still read; anything else is refused as before.
    private static func cut(_ request: Request, _ buffer: ByteBuffer, limit: Int) throws {
        guard request.headers.contentType == .urlEncodedForm else { throw Abort(.payloadTooLarge) }
        var bytes = Array(buffer.readableBytesView.prefix(limit))
        bytes = readablePrefix(of: bytes)
        // Vapor sets a collected body only through content encoding: a raw encoder puts the bytes back.
        try request.content.encode(KeptBytes(bytes: bytes), using: KeptBytesEncoder())
        request.storage[WasCutKey.self] = true
        request.logger.info("form over \(limit) bytes cut for \(request.url.path)")
    }

    /// Drops a trailing half percent-escape and a trailing half UTF-8 character (escaped as
    /// %XX), so the last field decodes to readable text.
    static func readablePrefix(of bytes: [UInt8]) -> [UInt8] {
        var end = bytes.count
        // "…%" or "…%4": an escape cut in two.
        if end >= 1 && bytes[end - 1] == UInt8(ascii: "%") { end -= 1 } else if end >= 2 && bytes[end - 2] == UInt8(ascii: "%") { end -= 2 }
        // Walk back over escaped UTF-8 continuation bytes (%80–%BF) to the character's lead byte,
        // and drop the character if it is incomplete.
        func escaped(at i: Int) -> UInt8? {
            guard i >= 0, i + 2 < end, bytes[i] == UInt8(ascii: "%"),
                let value = UInt8(String(decoding: bytes[(i + 1)...(i + 2)], as: UTF8.self), radix: 16)
            else { return nil }
            return value
        }
        var position = end - 3
        var continuations = 0
        while let value = escaped(at: position), value & 0xC0 == 0x80 {
            continuations += 1
            position -= 3
        }
        if let lead = escaped(at: position), lead >= 0xC0 {
            let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
            if continuations + 1 < length { end = position }
        } else if continuations > 0 {
            end = position + 3  // stray continuation bytes: drop them
        }
        return Array(bytes[..<end])
    }
}

/// The bytes of a cut form, and an encoder that writes them as they are.
private struct KeptBytes: Encodable {
    let bytes: [UInt8]
    func encode(to encoder: any Encoder) throws {}
}

private struct KeptBytesEncoder: ContentEncoder {
    func encode<E: Encodable>(_ encodable: E, to body: inout ByteBuffer, headers: inout HTTPHeaders) throws {
        guard let kept = encodable as? KeptBytes else { throw Abort(.internalServerError) }
        body.writeBytes(kept.bytes)
        headers.contentType = .urlEncodedForm
    }
}
