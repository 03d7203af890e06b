/**
 * The bridge's transport ({@link BridgeTransport}), made to trust extra certificate authorities.
 * irc-framework passes no `ca` to `tls.connect`, so a network whose certificate comes from a private
 * CA could only be reached by turning verification off; this keeps verification on and adds the CA.
 * A client certificate (irc-framework's `client_certificate` option) is presented as irc-framework
 * would.
 */
import { rootCertificates, connect as connectTls } from 'node:tls';
import { BridgeTransport } from './bridge-transport';

/** One class per CA: every virtual user of a network reconnects with the same one. */
const trustingTransports = new Map<string, typeof BridgeTransport>();

/** A transport class for irc-framework's `transport` option that also trusts `caPem`. */
export function transportTrusting(caPem: string): typeof BridgeTransport {
  let transport = trustingTransports.get(caPem);
  if (!transport) {
    transport = caTrustingTransport([...rootCertificates, caPem]);
    trustingTransports.set(caPem, transport);
  }
  return transport;
}

function caTrustingTransport(ca: string[]): typeof BridgeTransport {
  return class CaTrustingTransport extends BridgeTransport {
    override connect(): void {
      const options = this.options;
      // Trestle sets no SOCKS proxy or outgoing address; those paths stay irc-framework's.
      if (!(options.tls || options.ssl) || options.socks || options.outgoing_addr) return super.connect();
      // irc-framework's own direct-TLS branch (src/transports/net.js), with `ca` added.
      this.disposeSocket();
      this.requested_disconnect = false;
      this.incoming_buffer = Buffer.from('');
      if (!options.encoding || !this.setEncoding(options.encoding)) this.setEncoding('utf8');
      this.state = SOCK_CONNECTING;
      const socket = connectTls({
        host: options.host,
        port: options.port || 6667,
        ca,
        // SNI only for names, as irc-framework does: an IP address is not a valid server name.
        ...(!this.getAddressFamily(options.host) && { servername: options.host }),
        rejectUnauthorized: options.rejectUnauthorized,
        ...(options.client_certificate && {
          key: options.client_certificate.private_key,
          cert: options.client_certificate.certificate,
        }),
      });
      this.socket = socket;
      this._onSocketCreate(options, socket);
    }
  };
}

/** irc-framework's transport state while a socket is being opened (SOCK_CONNECTING in net.js). */
const SOCK_CONNECTING = 1;
