import Rules
import Testing
import VIACore

@Suite struct PhotoRulesTests {
    // MARK: photo.missing / photo.unreadable

    @Test func missingNamesEachCodeWithItsName() throws {
        var w = ExampleWorld()
        w.record["photos"] = .array(w.record["photos"]!.arrayValue!.filter { $0["code"] != "0113" && $0["code"] != "0321" })
        let found = try findings(MissingPhotoRule.self, w.context())
        #expect(found.map(\.photo) == ["0113", "0321"])
        #expect(found[1].message.contains("0321 (left headlamp)"))
    }

    @Test func unreadableListsOnlyErrorProblems() throws {
        var w = ExampleWorld()
        w.facts["0112"]?.integrity.problems = [
            PhotoProblem(.trailingData, "88 bytes after EOI"),
            PhotoProblem(.corruptData, "premature end of data segment"),
        ]
        let found = try findings(UnreadablePhotoRule.self, w.context())
        #expect(found.count == 1)
        #expect(found[0].photo == "0112")
        #expect(found[0].evidence["problems"] == ["corrupt_data"])
        #expect(found[0].evidence["byte_count"] == JSONValue(w.facts["0112"]!.byteCount))
        #expect(!found[0].message.contains("trailing"))
    }

    // MARK: code patterns

    @Test func codePatternsAreGlobs() throws {
        var w = ExampleWorld()
        for code in ["0111", "0321", "0352"] {
            w.facts[code]?.jpeg?.width = 320
            w.facts[code]?.jpeg?.height = 240
        }
        let context = w.context()
        #expect(try findings(ResolutionRule.self, context).map(\.photo) == ["0111", "0321", "0352"])
        #expect(try findings(ResolutionRule.self, ["codes": ["03*"]], context).map(\.photo) == ["0321", "0352"])
        #expect(try findings(ResolutionRule.self, ["codes": ["03?1"]], context).map(\.photo) == ["0321"])
        #expect(try findings(ResolutionRule.self, ["codes": ["0111", "0352"]], context).map(\.photo) == ["0111", "0352"])
        #expect(try findings(ResolutionRule.self, ["codes": ["02*"]], context).isEmpty)
    }

    @Test func resolutionIsOrientationAgnostic() throws {
        var w = ExampleWorld()
        w.facts["0111"]?.jpeg?.width = 480
        w.facts["0111"]?.jpeg?.height = 640
        w.facts["0112"]?.jpeg?.width = 639
        w.facts["0112"]?.jpeg?.height = 480
        #expect(try findings(ResolutionRule.self, w.context()).map(\.photo) == ["0112"])
    }

    // MARK: photo.exif

    @Test func exifExemptionsAndUnreadablePhotos() throws {
        var w = ExampleWorld()
        w.facts["0111"]?.exif = nil
        w.facts["0112"]?.exif?.dateTimeOriginal = "2026:13:45 25:00:00"
        w.facts["0113"]?.exif = nil
        w.facts["0113"]?.integrity.problems = [PhotoProblem(.truncated, "ends early")]
        let found = try findings(ExifRule.self, w.context())
        #expect(found.map(\.photo) == ["0111", "0112"], "the truncated photo is photo.unreadable's")
        #expect(found[1].message.contains("not a valid date-time"))
        #expect(try findings(ExifRule.self, ["exempt_codes": ["011?"]], w.context()).isEmpty)
        #expect(try findings(ExifRule.self, ["require_exif": false, "require_date_time_original": false], w.context()).isEmpty)
    }

    // MARK: photo.sequence

    @Test func sequenceUsesEXIFWhenPresentElseDeclared() throws {
        var w = ExampleWorld()
        // Declared: 0344 10:15:00, 0342 10:17:00 (in order). EXIF of 0342 says 10:14:30: earlier than 0344's EXIF 10:15:00.
        w.facts["0342"]?.exif?.dateTimeOriginal = "2026:10:18 10:14:30"
        var found = try findings(SequenceRule.self, w.context())
        #expect(found.map(\.photo) == ["0342"])
        #expect(found.first?.evidence["after_source"] == "EXIF")
        #expect(found.first?.evidence["gap_s"] == 30)

        // Without EXIF on 0344 its declared 10:15:00 is used: still after 10:14:30.
        w.facts["0344"]?.exif = nil
        found = try findings(SequenceRule.self, w.context())
        #expect(found.first?.evidence["before_source"] == "declared")

        // Declared times alone out of order do not matter when both photos have EXIF in order.
        var declared = ExampleWorld()
        declared.setEntry("0342", "taken_at", "2026-10-18T10:10:00+08:00")
        #expect(try findings(SequenceRule.self, declared.context()).isEmpty)
        declared.facts["0342"]?.exif = nil
        #expect(try findings(SequenceRule.self, declared.context()).map(\.photo) == ["0342"])
    }

    @Test func sequenceAcceptsEqualTimesAndCustomPairs() throws {
        var w = ExampleWorld()
        w.facts["0342"]?.exif?.dateTimeOriginal = "2026:10:18 10:15:00"
        #expect(try findings(SequenceRule.self, w.context()).isEmpty)
        let pairs: JSONValue = [["0111", "0112"], ["0113", "0111"], ["0321", "0999"]]
        #expect(try findings(SequenceRule.self, ["order": pairs], w.context()).map(\.photo) == ["0111"])
        #expect(throws: RuleConfigurationError.self) {
            try SequenceRule.configured(parameters: ["order": ParameterValue([["0344", "0342", "0341"]])])
        }
    }

    // MARK: photo.device

    @Test func deviceFallsBackToTheLaneWhenTheDeclaredIdIsUnknown() throws {
        var w = ExampleWorld()
        w.setEntry("0321", "device", "CAM-9999") // record.station reports the id; EXIF is the Dahua of lane 1
        #expect(try findings(DeviceRule.self, w.context()).isEmpty)
        w.facts["0321"]?.exif?.make = "Canon"
        w.facts["0321"]?.exif?.model = "EOS 80D"
        let found = try findings(DeviceRule.self, w.context())
        #expect(found.map(\.photo) == ["0321"])
        #expect(found[0].evidence["registered_devices"] == ["CAM-0101", "CAM-0102"])
        #expect(found[0].message.contains("Canon EOS 80D"))
    }

    /// SPEC: photo.device is a camera not registered to the record's lane; record.station a device not registered
    /// to the station at all. Each reports its own case and only that.
    @Test func anotherLanesCameraIsPhotoDeviceAndAnUnknownOneRecordStation() throws {
        var w = ExampleWorld()
        w.station.lanes.append(Lane(code: "2", devices: [Device(id: "CAM-0201", make: "Dahua", model: "IPC-HFW5442E")]))
        w.setEntry("0321", "device", "CAM-0201")
        w.setEntry("0352", "device", "PHONE-7")
        let device = try findings(DeviceRule.self, w.context())
        #expect(device.map(\.photo) == ["0321"])
        #expect(device[0].field == "photos[3].device")
        #expect(device[0].evidence["device_lane"] == "2" && device[0].evidence["lane"] == "1")
        #expect(device[0].message.contains("registered to lane 2, not to lane 1"))
        let station = try findings(StationRule.self, w.context())
        #expect(station.map(\.photo) == ["0352"])
        #expect(station[0].message.contains("PHONE-7 is not registered to station"))
    }

    @Test func deviceSerialComparedOnlyWhenBothSidesHaveOne() throws {
        var w = ExampleWorld()
        w.facts["0111"]?.exif?.bodySerialNumber = nil
        w.station.lanes[0].devices[1].serial = nil
        w.facts["0321"]?.exif?.bodySerialNumber = "anything"
        #expect(try findings(DeviceRule.self, w.context()).isEmpty)
        w.facts["0112"]?.exif?.bodySerialNumber = " ds2cd2t47g2-0101 "
        #expect(try findings(DeviceRule.self, w.context()).isEmpty, "case and spaces do not matter")
        w.facts["0112"]?.exif?.bodySerialNumber = "DS2CD2T47G2-0199"
        #expect(try findings(DeviceRule.self, w.context()).map(\.photo) == ["0112"])
        #expect(try findings(DeviceRule.self, ["match_serial": false], w.context()).isEmpty)
    }

    @Test func deviceSkipsLanesWithoutCameraDetails() throws {
        var w = ExampleWorld()
        w.station.lanes[0].devices = w.station.lanes[0].devices.map { Device(id: $0.id) }
        w.facts["0111"]?.exif?.make = "Xiaomi"
        #expect(try findings(DeviceRule.self, w.context()).isEmpty)
    }

    // MARK: photo.location

    @Test func locationRadiusPlusExtra() throws {
        var w = ExampleWorld()
        // 0.0045° of latitude ≈ 500 m north of the station.
        w.facts["0111"]?.exif?.gps = GPSFacts(latitude: 39.8215, longitude: 109.9770)
        let found = try findings(LocationRule.self, w.context())
        #expect(found.map(\.photo) == ["0111"])
        let distance = try #require(found[0].evidence["distance_m"]?.numberValue)
        #expect(abs(distance - 500) < 5)
        #expect(try findings(LocationRule.self, ["extra_radius_m": 150], w.context()).isEmpty)
        w.facts["0112"]?.exif?.gps = nil
        #expect(try findings(LocationRule.self, ["extra_radius_m": 150, "require_gps": true], w.context()).map(\.photo) == ["0112"])
    }

    // MARK: photo.edited

    @Test func editedCollectsEverySignInOneFinding() throws {
        var w = ExampleWorld()
        w.facts["0111"]?.exif?.software = "ADOBE PHOTOSHOP LIGHTROOM Classic 13.0"
        w.facts["0111"]?.xmp = XMPFacts(historySoftware: ["Adobe Photoshop 25.0 (Windows)", "Snapseed 2.0"],
                                        editingTraces: ["XMP xmpMM:History names Adobe Photoshop 25.0 (Windows), Snapseed 2.0"])
        w.facts["0111"]?.exif?.dateTime = "2026:10:18 10:02:03" // 61 s after capture
        w.facts["0112"]?.exif?.dateTime = "2026:10:18 10:03:30" // exactly 60 s
        let found = try findings(EditedRule.self, w.context())
        #expect(found.count == 1)
        let finding = try #require(found.first)
        #expect(finding.photo == "0111")
        #expect(finding.evidence["editors"] == ["photoshop", "snapseed"])
        #expect(finding.evidence["modified_after_s"] == 61)
        #expect(finding.message.contains("xmpMM:History"))

        let custom = try findings(EditedRule.self, ["editors": ["snapseed"], "flag_xmp_history": false, "modify_tolerance_s": 120],
                                  w.context())
        #expect(custom.count == 1)
        #expect(custom.first?.evidence["editors"] == ["snapseed"])
        #expect(custom.first?.evidence["editing_traces"] == nil)
    }

    // MARK: photo.quality

    static func quality(mean: Double, contrast: Double, sharpness: Double, _ parameters: [String: JSONValue] = [:]) throws -> Finding? {
        var w = ExampleWorld()
        w.facts["0111"]?.figures?.meanLuminance = mean
        w.facts["0111"]?.figures?.contrast = contrast
        w.facts["0111"]?.figures?.sharpness = sharpness
        let found = try findings(QualityRule.self, parameters, w.context())
        #expect(found.count <= 1)
        return found.first
    }

    @Test func qualityBlurIsSharpnessOverContrastSquared() throws {
        // Contrast 40: 0.02 × 1600 = 32 is the boundary.
        #expect(try Self.quality(mean: 120, contrast: 40, sharpness: 32) == nil)
        #expect(try Self.quality(mean: 120, contrast: 40, sharpness: 31.9)?.evidence["problems"] == ["blurred"])
        // Dark but sharp: a low Laplacian variance at low contrast is not blur.
        #expect(try Self.quality(mean: 40, contrast: 10, sharpness: 12) == nil)
        // The same variance on a high-contrast photo is.
        #expect(try Self.quality(mean: 120, contrast: 60, sharpness: 12)?.evidence["problems"] == ["blurred"])
        #expect(try Self.quality(mean: 120, contrast: 40, sharpness: 60, ["blur_min_ratio": 0.05])?.evidence["problems"] == ["blurred"])
    }

    @Test func qualityBlankSuppressesEverythingElse() throws {
        let blank = try #require(try Self.quality(mean: 12, contrast: 3, sharpness: 0))
        #expect(blank.evidence["problems"] == ["blank"])
        #expect(blank.evidence["sharpness_ratio"] == nil)
        let darkAndBlurred = try #require(try Self.quality(mean: 30, contrast: 20, sharpness: 2))
        #expect(darkAndBlurred.evidence["problems"] == ["dark", "blurred"])
        #expect(try Self.quality(mean: 225, contrast: 20, sharpness: 200)?.evidence["problems"] == ["overexposed"])
        // With blank detection off, a contrast below 1 skips the blur test instead of dividing by almost nothing.
        #expect(try Self.quality(mean: 120, contrast: 0.5, sharpness: 0, ["blank_max_contrast": 0]) == nil)
    }

    // MARK: photo.duplicate

    @Test func duplicateExcludesTheSameRecordsOwnEntries() throws {
        var w = ExampleWorld()
        // History that already holds this very record (as when the store or the batch includes it).
        for code in ["0111", "0112", "0113"] {
            w.history.add(KnownPhoto(station: ExampleWorld.stationCode, inspectionId: "15060200126101800", code: code,
                                     sha256: sha(w, code), perceptualHash: PerceptualHash.hex(phash(w, code))))
        }
        #expect(try findings(DuplicateRule.self, w.context()).isEmpty)

        // A copy within the record: reported once, on the later photo only, even though history holds both.
        w.addCopy(of: "0112", as: "0158")
        let found = try findings(DuplicateRule.self, w.context())
        #expect(found.map(\.photo) == ["0158"])
        #expect(found.first?.evidence["same_record"] == true)
        #expect(found.first?.evidence["other_code"] == "0112")
    }

    @Test func duplicateAnEarlierSubmissionUnderAnotherCodeIsReported() throws {
        var w = ExampleWorld()
        // The earlier submission of this inspection had today's 0111 picture as its 0112.
        w.history.add(KnownPhoto(station: ExampleWorld.stationCode, inspectionId: "15060200126101800", code: "0112",
                                 sha256: sha(w, "0111")))
        let found = try findings(DuplicateRule.self, w.context())
        #expect(found.map(\.photo) == ["0111"])
        #expect(found.first?.evidence["other_code"] == "0112")
        #expect(found.first?.evidence["match"] == "exact")
    }

    @Test func duplicateReportsTheStrongestMatchOnly() throws {
        var w = ExampleWorld()
        let hash = phash(w, "0111")
        w.history.add(KnownPhoto(station: "150602003", inspectionId: "N5", code: "0111", sha256: "n5", perceptualHash: PerceptualHash.hex(hash ^ 0b11111)))
        w.history.add(KnownPhoto(station: "150602004", inspectionId: "N2", code: "0111", sha256: "n2", perceptualHash: PerceptualHash.hex(hash ^ 0b101)))
        var found = try findings(DuplicateRule.self, w.context())
        #expect(found.count == 1)
        #expect(found.first?.evidence["other_inspection_id"] == "N2")
        #expect(found.first?.evidence["distance"] == 2)

        w.history.add(KnownPhoto(station: "150602005", inspectionId: "X", code: "0112", sha256: sha(w, "0111"), batchId: "B-7"))
        found = try findings(DuplicateRule.self, w.context())
        #expect(found.count == 1)
        #expect(found.first?.evidence["match"] == "exact")
        #expect(found.first?.evidence["other_batch_id"] == "B-7")
        #expect(found.first?.evidence["other_code"] == "0112")

        #expect(try findings(DuplicateRule.self, ["max_distance": 1], w.context()).count == 1, "exact does not depend on distance")
    }

    @Test func duplicateNearMatchesWithinTheRecordNeedContrast() throws {
        var w = ExampleWorld()
        w.addCopy(of: "0344", as: "0345")
        w.facts["0345"]?.sha256 = String(repeating: "ab", count: 32)
        let near = PerceptualHash.hex(phash(w, "0344") ^ 0b1001)
        w.facts["0345"]?.figures?.perceptualHash = near
        let found = try findings(DuplicateRule.self, w.context())
        #expect(found.map(\.photo) == ["0345"])
        #expect(found.first?.evidence["distance"] == 2)
        #expect(found.first?.evidence["match"] == "near")

        w.facts["0344"]?.figures?.contrast = 7.9
        #expect(try findings(DuplicateRule.self, w.context()).isEmpty, "the earlier photo is too flat to compare")
        #expect(try findings(DuplicateRule.self, ["min_contrast": 5], w.context()).map(\.photo) == ["0345"])
        #expect(try findings(DuplicateRule.self, ["min_contrast": 5, "ignore_codes": ["034?"]], w.context()).isEmpty)
    }

    @Test func duplicateSkipsUnreadablePhotos() throws {
        var w = ExampleWorld()
        w.addCopy(of: "0111", as: "0115")
        w.facts["0115"]?.integrity.problems = [PhotoProblem(.truncated, "ends early")]
        #expect(try findings(DuplicateRule.self, w.context()).isEmpty)
    }
}
