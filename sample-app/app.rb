# frozen_string_literal: true

require 'json'
require 'socket'
require 'time'
require 'sinatra/base'
require_relative 'lib/bdash/database'
require_relative 'lib/bdash/migrator'

module Bdash
  # The sample application the article's roles deploy: a page that says which release runs
  # where, a health endpoint for the release test and the load balancer, and a small notes
  # resource that needs the database migration.
  class App < Sinatra::Base
    ROOT = __dir__
    REVISION_FILE = File.join(ROOT, 'REVISION')
    # The deploy role writes the commit it exported into REVISION.
    REVISION = File.exist?(REVISION_FILE) ? File.read(REVISION_FILE).strip : 'unknown'

    set :show_exceptions, false
    set :raise_errors, false

    helpers do
      # One connection per unicorn worker (workers are processes with one thread each).
      def db
        @@db ||= Database.connect
      end

      def json(status_code, body)
        content_type :json
        status status_code
        "#{JSON.generate(body)}\n"
      end
    end

    get '/' do
      content_type :text
      "bdash #{REVISION} (#{Database.environment}) on #{Socket.gethostname}\n"
    end

    # 200 when the app runs and its database answers; 503 with the reason otherwise.
    get '/health' do
      version = Migrator.new(db).current_version
      json 200, status: 'ok', revision: REVISION, environment: Database.environment,
                hostname: Socket.gethostname, schema_version: version
    rescue StandardError => e
      json 503, status: 'error', revision: REVISION, error: "#{e.class}: #{e.message}"
    end

    get '/notes' do
      notes = db.execute('SELECT id, body, created_at FROM notes ORDER BY id').map do |id, body, created_at|
        { id: id, body: body, created_at: created_at }
      end
      json 200, notes: notes
    rescue SQLite3::SQLException => e
      json 503, error: "#{e.message} (have the migrations run?)"
    end

    post '/notes' do
      body = request.body.read.strip
      halt json(422, error: 'empty note') if body.empty?

      db.execute('INSERT INTO notes (body, created_at) VALUES (?, ?)', [body, Time.now.utc.iso8601])
      json 201, id: db.last_insert_row_id, body: body
    rescue SQLite3::SQLException => e
      json 503, error: "#{e.message} (have the migrations run?)"
    end
  end
end
