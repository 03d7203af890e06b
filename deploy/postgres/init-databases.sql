-- Run once by the postgres image on an empty data volume (docker-entrypoint-initdb.d).
-- Synapse refuses databases whose collation is not C.
CREATE DATABASE synapse ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0;
CREATE DATABASE trestle_irc;
CREATE DATABASE trestle_discord;
CREATE DATABASE trestle_telegram;
