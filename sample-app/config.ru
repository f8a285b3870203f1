# frozen_string_literal: true

# Rack entry point: unicorn (and rackup) load this file from the release directory.
require_relative 'app'

run Bdash::App
