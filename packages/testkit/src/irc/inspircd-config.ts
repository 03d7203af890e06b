/** Renders an InspIRCd 3 configuration tuned for tests: loopback only, fast, permissive, IRCv3 on. */

/** IRCv3 and history modules loaded by default (all ship with Debian's InspIRCd 3.15). */
export const DEFAULT_INSPIRCD_MODULES: readonly string[] = [
  'cap',
  'ircv3',
  'ircv3_capnotify',
  'ircv3_echomessage',
  'ircv3_servertime',
  'ircv3_msgid',
  'ircv3_batch',
  'ircv3_ctctags',
  'ircv3_accounttag',
  'ircv3_chghost',
  'chanhistory',
];

export interface InspircdConfigInput {
  port: number;
  serverName: string;
  networkName: string;
  logFile: string;
  modules: readonly string[];
  /** Password of the `trestle` oper (host `*@*`), for tests that need KILL, SAJOIN and friends. */
  operPassword: string;
  /**
   * A TLS client port (loads `ssl_gnutls`). With `clientCertificates` the server asks clients for a
   * certificate and tells services its fingerprint (CertFP, for SASL EXTERNAL).
   */
  tls?: { port: number; certFile: string; keyFile: string; clientCertificates?: boolean };
  /** Clients must send this as PASS (`<connect password>`). */
  connectPassword?: string;
  /** Server id (three characters, digit first); InspIRCd derives one from the name when absent. */
  serverId?: string;
  /** A port for other servers (and services) to link to (loads `spanningtree`). */
  serverPort?: number;
  /** Servers allowed to link with this one. */
  links?: readonly ServerLink[];
  /** Raw config appended at the end, for tests that need something unusual. */
  extraConfig?: string;
}

/** Another server (an InspIRCd or a services package) that may link with this one. */
export interface ServerLink {
  name: string;
  /** Where that server listens for links (for `CONNECT`); services connect in, so any port does. */
  port: number;
  password: string;
  /** Services: U-lined (may change modes and accounts) and the SASL agent's home. */
  services?: boolean;
  /**
   * With `services`: offer SASL to clients through these services (default true). False leaves
   * InspIRCd's `sasl` module out, so clients see no `sasl` capability and log in with NickServ.
   */
  sasl?: boolean;
}

/**
 * Build the config text. Every limit that could make a test flaky is lifted: one IP may hold
 * 100,000 connections, commands are never fake-lagged, and queues are large enough for bursts.
 * Hostname and ident lookups are off, so registration takes milliseconds, not seconds.
 */
export function renderInspircdConfig(input: InspircdConfigInput): string {
  const modules = [...input.modules, ...extraModules(input)]
    .map((name) => `<module name="${name}">`)
    .join('\n');
  const id = input.serverId ? ` id="${input.serverId}"` : '';
  const password = input.connectPassword ? ` password="${input.connectPassword}" hash="plaintext"` : '';
  return `<server name="${input.serverName}" description="Trestle test server" network="${input.networkName}"${id}>
<admin name="Trestle tests" nick="trestle" email="trestle@localhost">
<bind address="127.0.0.1" port="${input.port}" type="clients">
${tlsConfig(input)}${linkConfig(input)}<connect name="main" allow="*" timeout="60" pingfreq="120"${password}
         hardsendq="8M" softsendq="1M" recvq="1M"
         threshold="1000000" commandrate="100000000" fakelag="no"
         localmax="100000" globalmax="100000" maxconnwarn="no" limit="100000" maxchans="1000"
         resolvehostnames="no" useident="no">
<channels users="10000" opers="10000">
<dns server="127.0.0.1" timeout="1">
<performance softlimit="100000" somaxconn="4096" netbuffersize="65536" clonesonconnect="no">
<options prefixquit="Quit: " syntaxhints="no" announcets="yes" hostintopic="yes" casemapping="rfc1459">
<security hideserver="" userstats="Pu" flatlinks="no" hidesplits="no" hideulines="no" hidebans="no" maxtargets="20">
<log method="file" type="* -USERINPUT -USEROUTPUT" level="default" target="${input.logFile}">
<class name="Everything" commands="*" privs="*" usermodes="*" chanmodes="*" snomasks="*">
<type name="TestAdmin" classes="Everything">
<oper name="trestle" password="${input.operPassword}" host="*@*" type="TestAdmin">
${modules}
<chanhistory bots="yes" maxlines="100" prefixmsg="yes">
${input.extraConfig ?? ''}
`;
}

function extraModules(input: InspircdConfigInput): string[] {
  const extra: string[] = [];
  // sslinfo: WHOIS shows whether a user is on TLS (numeric 671).
  if (input.tls) extra.push('ssl_gnutls', 'sslinfo');
  if (input.serverPort !== undefined) extra.push('spanningtree');
  // What services (Atheme's protocol/inspircd) need: accounts, SASL, hidden channels in WHOIS.
  if (input.links?.some((l) => l.services)) extra.push('services_account', 'hidechans', 'globops', 'svshold');
  if (input.links?.some(offersSasl)) extra.push('sasl');
  return extra.filter((m) => !input.modules.includes(m));
}

function tlsConfig(input: InspircdConfigInput): string {
  if (!input.tls) return '';
  return `<sslprofile name="tests" provider="gnutls" certfile="${input.tls.certFile}" keyfile="${input.tls.keyFile}" dhfile="" hash="sha256" requestclientcert="${input.tls.clientCertificates ? 'yes' : 'no'}">
<bind address="127.0.0.1" port="${input.tls.port}" type="clients" ssl="tests">
`;
}

function linkConfig(input: InspircdConfigInput): string {
  if (input.serverPort === undefined) return '';
  const links = (input.links ?? []).map((l) => {
    const block = `<link name="${l.name}" ipaddr="127.0.0.1" port="${l.port}" allowmask="127.0.0.0/8" timeout="5" sendpass="${l.password}" recvpass="${l.password}">`;
    if (!l.services) return block;
    const uline = `${block}\n<uline server="${l.name}" silent="yes">`;
    return offersSasl(l) ? `${uline}\n<sasl target="${l.name}" requiressl="no">` : uline;
  });
  return `<bind address="127.0.0.1" port="${input.serverPort}" type="servers">
${links.join('\n')}
`;
}

const offersSasl = (link: ServerLink): boolean => link.services === true && link.sasl !== false;
