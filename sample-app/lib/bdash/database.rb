# frozen_string_literal: true

require 'erb'
require 'yaml'
require 'sqlite3'

module Bdash
  # Opens the database that config/database.yml names for the current environment, the way
  # Rails reads that file (ERB, then YAML, one section per RACK_ENV/RAILS_ENV).
  module Database
    ROOT = File.expand_path('../..', __dir__)

    module_function

    def environment
      ENV['RACK_ENV'] || ENV['RAILS_ENV'] || 'development'
    end

    def config(path = File.join(ROOT, 'config', 'database.yml'))
      sections = YAML.safe_load(ERB.new(File.read(path)).result, aliases: true) || {}
      sections.fetch(environment) { raise KeyError, "#{path} has no #{environment.inspect} section" }
    end

    # username and password are accepted and unused: SQLite has no accounts. They are in
    # database.yml because the article's config-db role writes one for a server database.
    def connect(settings = config)
      adapter = settings.fetch('adapter')
      raise ArgumentError, "adapter #{adapter.inspect} is not supported (only sqlite3)" unless adapter == 'sqlite3'

      db = SQLite3::Database.new(settings.fetch('database'))
      db.busy_timeout = Integer(settings.fetch('timeout', 5000))
      db
    end
  end
end
