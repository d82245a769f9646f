// Generated from graphnet/schema.yaml by `graphnet schema cypher`; do not edit.
// Applied by `graphnet db init` (idempotent: IF NOT EXISTS).
CREATE CONSTRAINT account_uid IF NOT EXISTS FOR (n:`Account`) REQUIRE n.uid IS UNIQUE;
CREATE CONSTRAINT case_uid IF NOT EXISTS FOR (n:`Case`) REQUIRE n.uid IS UNIQUE;
CREATE INDEX case_number IF NOT EXISTS FOR (n:`Case`) ON (n.number);
CREATE CONSTRAINT document_uid IF NOT EXISTS FOR (n:`Document`) REQUIRE n.uid IS UNIQUE;
CREATE INDEX document_number IF NOT EXISTS FOR (n:`Document`) ON (n.number);
CREATE CONSTRAINT event_uid IF NOT EXISTS FOR (n:`Event`) REQUIRE n.uid IS UNIQUE;
CREATE CONSTRAINT location_uid IF NOT EXISTS FOR (n:`Location`) REQUIRE n.uid IS UNIQUE;
CREATE CONSTRAINT lodging_uid IF NOT EXISTS FOR (n:`Lodging`) REQUIRE n.uid IS UNIQUE;
CREATE CONSTRAINT organization_uid IF NOT EXISTS FOR (n:`Organization`) REQUIRE n.uid IS UNIQUE;
CREATE CONSTRAINT person_uid IF NOT EXISTS FOR (n:`Person`) REQUIRE n.uid IS UNIQUE;
CREATE INDEX person_name IF NOT EXISTS FOR (n:`Person`) ON (n.name);
CREATE INDEX person_nik IF NOT EXISTS FOR (n:`Person`) ON (n.nik);
CREATE INDEX person_passport IF NOT EXISTS FOR (n:`Person`) ON (n.passport);
CREATE CONSTRAINT phone_uid IF NOT EXISTS FOR (n:`Phone`) REQUIRE n.uid IS UNIQUE;
CREATE CONSTRAINT source_uid IF NOT EXISTS FOR (n:`Source`) REQUIRE n.uid IS UNIQUE;
CREATE CONSTRAINT vehicle_uid IF NOT EXISTS FOR (n:`Vehicle`) REQUIRE n.uid IS UNIQUE;
