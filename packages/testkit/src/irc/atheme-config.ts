/**
 * Renders a minimal Atheme 7.2 configuration for tests: NickServ (with CERT for client-certificate
 * fingerprints) and SaslServ (PLAIN and EXTERNAL), linked to InspIRCd.
 */

export interface AthemeConfigInput {
  /** Services' server name (the ircd's `<link name>` and `<uline>`). */
  serverName: string;
  /** Services' server id (three characters, digit first, unique on the network). */
  serverId: string;
  networkName: string;
  uplink: { name: string; port: number; password: string };
  /** Where Atheme keeps its database (the `-D` data directory). */
  dataDir: string;
}

export function renderAthemeConfig(input: AthemeConfigInput): string {
  const modules = [
    'protocol/inspircd',
    'backend/opensex',
    'crypto/pbkdf2v2',
    'nickserv/main',
    'nickserv/register',
    'nickserv/identify',
    'nickserv/info',
    'nickserv/cert',
    'saslserv/main',
    'saslserv/plain',
    'saslserv/external',
  ]
    .map((m) => `loadmodule "modules/${m}";`)
    .join('\n');
  return `${modules}
serverinfo {
  name = "${input.serverName}";
  desc = "Trestle test services";
  numeric = "${input.serverId}";
  recontime = 1;
  netname = "${input.networkName}";
  hidehostsuffix = "users.trestle.test";
  adminname = "Trestle tests";
  adminemail = "trestle@localhost";
  registeremail = "trestle@localhost";
  loglevel = { error; info; admin; network; };
  maxlogins = 5;
  maxusers = 5;
  mdlimit = 30;
  emaillimit = 10;
  emailtime = 300;
  auth = none;
  casemapping = rfc1459;
};
uplink "${input.uplink.name}" {
  host = "127.0.0.1";
  password = "${input.uplink.password}";
  port = ${input.uplink.port};
};
nickserv {
  nick = "NickServ";
  user = "NickServ";
  host = "${input.serverName}";
  real = "Nickname Services";
  maxnicks = 5;
  expire = 0;
};
saslserv {
  nick = "SaslServ";
  user = "SaslServ";
  host = "${input.serverName}";
  real = "SASL Authentication Agent";
};
general {
  permissive_mode;
  chan = "#services";
  verbose_wallops;
  join_chans;
  uflags = { hidemail; };
  cflags = { verbose; guard; };
  flood_msgs = 0;
  flood_time = 10;
  ratelimit_uses = 0;
  ratelimit_period = 60;
  kline_time = 7;
  commit_interval = 1;
  default_clone_allowed = 10000;
  default_clone_warn = 10000;
  uplink_sendq_limit = 1048576;
  language = "en";
};
logfile "${input.dataDir}/atheme.log" { error; info; admin; network; register; commands; };
`;
}
