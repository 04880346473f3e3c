-- wrk body script for `npm run bench`: the reserveFunds POST of bench/bare.js and bankcert's load
-- iteration (same fields in the same order, a fresh clientTxnRef/raasTxnRef per request so the bank
-- really reserves, same account rotation). No signature: the bench's bank does not verify signatures.
-- Arguments after `--`: URL path, run id, the fixed middle of the body, the channel part, account ids...
local path, runId, fixed, channel
local accounts = {}
local counter = 0
local threadId = 0
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("threadId", threads)
end

function init(args)
  path, runId, fixed, channel = args[1], args[2], args[3], args[4]
  for i = 5, #args do accounts[#accounts + 1] = args[i] end
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Accept"] = "application/json"
end

function request()
  local id = accounts[(counter % #accounts) + 1]
  counter = counter + 1
  local base = "wrk-" .. runId .. "-" .. threadId .. "-" .. counter
  local body = '{"clientTxnRef":"' .. base .. '-c","raasTxnRef":"' .. base .. '-r",' .. fixed ..
    ',"sourceIdentifier":"' .. id .. '","targetIdentifier":"' .. id .. '",' .. channel ..
    ',"timestamp":"' .. os.date("!%Y-%m-%dT%H:%M:%S.000Z") .. '"}'
  return wrk.format(nil, path, nil, body)
end
