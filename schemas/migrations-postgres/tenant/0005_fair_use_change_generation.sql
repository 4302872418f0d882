-- PostgreSQL twin of migrations/tenant/0008_fair_use_change_generation.sql: a fair-use state changes
-- what the AAA server replies at login, so writing it bumps the generation and notifies (0001's function).
CREATE TRIGGER "fair_use_states_change_generation" AFTER INSERT OR UPDATE OR DELETE ON "fair_use_states" FOR EACH STATEMENT EXECUTE FUNCTION "bump_auth_change_generation"();
