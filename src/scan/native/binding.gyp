{
  "targets": [
    {
      "target_name": "feisync_walk",
      "conditions": [
        ["OS=='win'", { "type": "none" }, {
          "sources": ["readdirStat.c"],
          "cflags": ["-O2", "-std=gnu11", "-Wall", "-Wextra"],
          "xcode_settings": { "OTHER_CFLAGS": ["-O2", "-Wall", "-Wextra"] }
        }]
      ]
    }
  ]
}
