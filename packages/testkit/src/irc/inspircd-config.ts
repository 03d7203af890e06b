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
  /** Raw config appended at the end, for tests that need something unusual. */
  extraConfig?: string;
}

/**
 * Build the config text. Every limit that could make a test flaky is lifted: one IP may hold
 * 100,000 connections, commands are never fake-lagged, and queues are large enough for bursts.
 * Hostname and ident lookups are off, so registration takes milliseconds, not seconds.
 */
export function renderInspircdConfig(input: InspircdConfigInput): string {
  const modules = input.modules.map((name) => `<module name="${name}">`).join('\n');
  return `<server name="${input.serverName}" description="Trestle test server" network="${input.networkName}">
<admin name="Trestle tests" nick="trestle" email="trestle@localhost">
<bind address="127.0.0.1" port="${input.port}" type="clients">
<connect name="main" allow="*" timeout="60" pingfreq="120"
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
