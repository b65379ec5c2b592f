-- Roles, their permissions, user accounts and sessions (platform/access.h, users.h, auth.h).
-- Booleans are INTEGER 0/1; times are ISO-8601 UTC text written by the application.
CREATE TABLE roles (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  scope TEXT NOT NULL DEFAULT 'division' CHECK (scope IN ('all', 'division', 'own')),
  builtin INTEGER NOT NULL DEFAULT 0,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL DEFAULT {{NOW}},
  created_by BIGINT NOT NULL DEFAULT 0,
  updated_at TEXT NOT NULL DEFAULT {{NOW}},
  updated_by BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE role_permissions (
  role TEXT NOT NULL REFERENCES roles (code),
  permission TEXT NOT NULL,
  PRIMARY KEY (role, permission)
);

CREATE TABLE users (
  id {{ID}},
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL REFERENCES roles (code),
  division_code TEXT NOT NULL,
  phone TEXT NOT NULL DEFAULT '',          -- encrypted (platform/crypto.h), '' when none
  totp_secret TEXT,                        -- encrypted base32 secret; set while enrolling, kept once enabled
  totp_enabled INTEGER NOT NULL DEFAULT 0,
  totp_last_step BIGINT NOT NULL DEFAULT 0,  -- the last accepted TOTP time step: a code works only once
  must_change_password INTEGER NOT NULL DEFAULT 1,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until TEXT,
  disabled INTEGER NOT NULL DEFAULT 0,
  last_login_at TEXT,
  password_changed_at TEXT,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL DEFAULT {{NOW}},
  created_by BIGINT NOT NULL DEFAULT 0,
  updated_at TEXT NOT NULL DEFAULT {{NOW}},
  updated_by BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX users_role ON users (role);
CREATE INDEX users_division ON users (division_code);

-- The token is never stored, only its SHA-256; the CSRF token is not a credential on its own.
CREATE TABLE sessions (
  id {{ID}},
  token_hash TEXT NOT NULL UNIQUE,
  user_id BIGINT NOT NULL REFERENCES users (id),
  csrf_token TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  ip TEXT NOT NULL DEFAULT '',
  user_agent TEXT NOT NULL DEFAULT '',
  revoked INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);
