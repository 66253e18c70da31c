package dev.parley.moderation;

import dev.parley.common.ApiErrors;
import dev.parley.auth.Actors;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;

/** Calibration from moderator outcomes (docs/api.md); the role is checked by the service. */
@Controller("/api/moderation/calibration")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "moderation")
class CalibrationController {

    private final CalibrationService calibration;
    private final Actors actors;

    CalibrationController(CalibrationService calibration, Actors actors) {
        this.calibration = calibration;
        this.actors = actors;
    }

    /** Per harm × forum category: moderators' outcomes of flagged items, precision and a suggested flag threshold. */
    @Get
    @Operation(operationId = "getCalibration", summary = "Threshold calibration from moderators' outcomes (moderator)",
            description = "Per harm × forum category, the flagged items moderators approved and rejected between `since` "
                    + "and `until`, precision, misses, thresholds in force and a flag threshold suggested for `precision`.")
    @ApiResponse(responseCode = "200", description = "The calibration report", useReturnTypeSchema = true)
    @ApiErrors.BadRequest
    @ApiErrors.Unauthorized
    @ApiErrors.Forbidden
    @ApiErrors.Invalid
    @ApiErrors.Unavailable
    CalibrationService.Report calibration(Authentication authentication, @QueryValue @Nullable String since,
                                          @QueryValue @Nullable String until,
                                          @QueryValue @Nullable String precision) {
        return calibration.report(actors.require(authentication), QueryValues.instant("since", since),
                QueryValues.instant("until", until), QueryValues.number("precision", precision));
    }
}
