#!/bin/sh
echo broken
exit 5
