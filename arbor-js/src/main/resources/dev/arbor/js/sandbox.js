// The part of CouchDB's JavaScript sandbox (share/server/util.js and views.js) that is written in
// JavaScript here; emit, __log and __compileModule are Java callbacks defined by Sandbox.java.
// Evaluated once in every sandbox's global scope.

function log(message) {
  if (typeof message != "string") {
    message = JSON.stringify(message);
  }
  __log(String(message));
}

function toJSON(value) {
  return JSON.stringify(value);
}

function isArray(value) {
  return Object.prototype.toString.call(value) === "[object Array]";
}

// CouchDB's sum adds with + over the array's enumerable members, so strings concatenate as they do there.
function sum(values) {
  var total = 0;
  for (var i in values) {
    total += values[i];
  }
  return total;
}

// CommonJS require over the strings of a design document, with CouchDB's path rules: a path is walked
// from the root object (for views: {views: {lib: ...}}) unless it starts with "." or "..", which walk
// from the directory of the requiring module. Each module runs once per sandbox; a module that is being
// loaded is already in the cache (with its first exports object), so circular requires terminate.
function __makeRequire(root) {
  var cache = {};

  function fail(reason) {
    throw ["error", "invalid_require_path", reason];
  }

  // A directory is {node, parent, id}: the object, the directory above it and its path from the root.
  function resolve(path, from) {
    var names = path.split("/");
    var dir = null;
    for (var i = 0; i < names.length; i++) {
      var name = names[i];
      if (name == ".." || name == ".") {
        var here = dir || from;
        if (!here) {
          fail("Object has no parent " + JSON.stringify(root));
        }
        if (name == "..") {
          if (!here.parent) {
            fail("Object has no parent " + JSON.stringify(here.node));
          }
          here = here.parent;
        }
        dir = here;
        continue;
      }
      if (!dir) {
        dir = {node: root, parent: null, id: ""};
      }
      if (dir.node === null || typeof dir.node != "object" || dir.node[name] === undefined) {
        fail("Object has no property \"" + name + "\". " + JSON.stringify(dir.node));
      }
      dir = {node: dir.node[name], parent: dir, id: dir.id ? dir.id + "/" + name : name};
    }
    if (!dir || typeof dir.node != "string") {
      fail("Must require a JavaScript string, not: " + (dir ? typeof dir.node : "undefined"));
    }
    return dir;
  }

  function requireFrom(from) {
    return function (path) {
      var target = resolve(String(path), from);
      if (!Object.prototype.hasOwnProperty.call(cache, target.id)) {
        var module = {id: target.id, exports: {}};
        cache[target.id] = module.exports;
        try {
          var body = __compileModule(target.node, target.id);
          body.call(module.exports, module, module.exports, requireFrom(target.parent));
        } catch (e) {
          delete cache[target.id];
          throw ["error", "compilation_error", "Module require('" + path + "') raised error " + String(e)];
        }
        cache[target.id] = module.exports;
      }
      return cache[target.id];
    };
  }

  return requireFrom(null);
}
