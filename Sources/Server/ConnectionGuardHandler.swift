import Dispatch
import HTTPTypes
import HummingbirdCore
import NIOCore

/// Two duties at the connection, below the request handlers:
///
/// - Stamps each request head with the moment it arrived (`X-Via-Arrived-Ns`, replacing any value a client sent), so
///   that the body timeout counts from the request's arrival even when the handler starts later under load.
/// - Closes the connection once a response carrying `Connection: close` has been written. Hummingbird closes only
///   when the request asked for it; otherwise, after an early answer (413 for a body over the limit, 408 for one too
///   slow, 401), it would go on reading and discarding the rest of the body for as long as the client sends — which
///   would defeat the very limits that refused it.
final class ConnectionGuardHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPConnectionStateHandler.InboundIn
    typealias InboundOut = HTTPConnectionStateHandler.InboundOut
    typealias OutboundIn = HTTPConnectionStateHandler.OutboundIn
    typealias OutboundOut = HTTPConnectionStateHandler.OutboundOut

    static let arrivedHeader = HTTPField.Name("X-Via-Arrived-Ns")!

    private var closeAfterEnd = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case var .head(head) = unwrapInboundIn(data) else { return context.fireChannelRead(data) }
        head.headerFields[Self.arrivedHeader] = String(DispatchTime.now().uptimeNanoseconds)
        context.fireChannelRead(wrapInboundOut(.head(head)))
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case let .head(head):
            closeAfterEnd = head.headerFields[.connection]?.lowercased() == "close"
        case .end where closeAfterEnd:
            closeAfterEnd = false
            let written = promise ?? context.eventLoop.makePromise()
            context.write(data, promise: written)
            let channel = context.channel
            written.futureResult.whenComplete { _ in channel.close(promise: nil) }
            return
        default:
            break
        }
        context.write(data, promise: promise)
    }
}
