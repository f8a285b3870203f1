# frozen_string_literal: true

module Bdash
  # Applies db/migrate/<version>_<name>.sql in version order, each once and in a transaction
  # of its own, and records it in schema_migrations as Rails does. It announces each
  # migration it applies the way `rake db:migrate` does ("== <version> <Name>: migrated"),
  # so a playbook can tell a run that changed the schema from one that did not.
  class Migrator
    Migration = Struct.new(:version, :name, :path) do
      def title
        name.split('_').map(&:capitalize).join
      end
    end

    DIRECTORY = File.expand_path('../../db/migrate', __dir__)

    def initialize(db, directory = DIRECTORY)
      @db = db
      @directory = directory
    end

    def migrations
      Dir.glob(File.join(@directory, '*.sql')).map do |path|
        match = File.basename(path).match(/\A(\d+)_(\w+)\.sql\z/) or raise "bad migration file name: #{path}"
        Migration.new(match[1], match[2], path)
      end.sort_by { |m| m.version.to_i }
    end

    def applied
      return [] unless table?('schema_migrations')

      @db.execute('SELECT version FROM schema_migrations').flatten
    end

    def pending
      done = applied
      migrations.reject { |m| done.include?(m.version) }
    end

    def current_version
      applied.map(&:to_i).max || 0
    end

    def migrate
      @db.execute('CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY NOT NULL)')
      pending.each do |migration|
        @db.transaction do
          @db.execute_batch(File.read(migration.path))
          @db.execute('INSERT INTO schema_migrations (version) VALUES (?)', [migration.version])
        end
        yield "== #{migration.version} #{migration.title}: migrated" if block_given?
      end
    end

    private

    def table?(name)
      !@db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [name]).empty?
    end
  end
end
